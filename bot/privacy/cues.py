"""The cue words of the context rules (`data/cues.toml`), as phrases matched word by word."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.privacy.gazetteer import fold


@dataclass(frozen=True)
class Phrases:
    """A list of cue phrases, each a tuple of folded words."""

    phrases: frozenset[tuple[str, ...]]
    longest: int

    def ending_at(self, words: list[str], end: int) -> int:
        """How many words of a phrase end at words[end] (0 when none does); the longest wins."""
        for n in range(min(self.longest, end + 1), 0, -1):
            if tuple(words[end - n + 1:end + 1]) in self.phrases:
                return n
        return 0

    def starting_at(self, words: list[str], start: int) -> int:
        """How many words of a phrase start at words[start] (0 when none does)."""
        for n in range(min(self.longest, len(words) - start), 0, -1):
            if tuple(words[start:start + n]) in self.phrases:
                return n
        return 0

    def __contains__(self, word: str) -> bool:
        return (word,) in self.phrases


@cache
def cues() -> dict[str, Phrases]:
    table = tomllib.loads((Path(__file__).parent / "data" / "cues.toml").read_text(encoding="utf-8"))
    out = {}
    for name, items in table.items():
        phrases = frozenset(tuple(fold(item).split()) for item in items)
        out[name] = Phrases(phrases, max(len(p) for p in phrases))
    return out
