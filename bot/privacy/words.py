"""The text as words, each with what the gazetteers say it may be.

A word is `NAME` when only the name lists know it ("okafor", "nguyen", "jolene"), `WORDNAME`
when it is a name and also an ordinary or clinical word ("grace", "reyes", "rivers"), `WORD`
when it is an ordinary word, ward shorthand or aspect vocabulary, and `UNKNOWN` otherwise (a
rare name, a typo, jargon). Numbers and punctuation are tokens too, so rules can look at
"bed 4" or "(the pt".
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.privacy import gazetteer
from bot.privacy.cues import cues
from bot.privacy.gazetteer import fold

NAME, WORDNAME, WORD, UNKNOWN, NUMBER, MARK = "name", "wordname", "word", "unknown", "number", "mark"
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,3}(?![^\W\d_])"                      # dotted initials: K.T., J.W.O.
    r"|\d+(?:[.,/:-]\d+)*(?:[^\W\d_]+)?(?![\w-])"           # numbers: 3/1, 7.21/58/62, 92M, 5W
    r"|[^\W_]+(?:['-][^\W_]+)*(?:'s?)?"                       # words: O'Brien, Abernathy's, CHA2DS2-VASc
    r"|[^\s\w]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    base: str          # folded, without a possessive 's
    sort: str
    capitalised: bool  # 'Okafor', not 'okafor' nor 'ICU'
    possessive: bool

    @property
    def rare(self) -> bool:
        """Not among any language's frequent words: 'kowalczyk', not 'nguyen' or 'dex'."""
        return self.base not in gazetteer.words()

    @property
    def likely_name(self) -> bool:
        """A name, or a rarer word that is a popular name ('greta', 'fernandez'): after "pt" it is one."""
        return self.sort == NAME or (self.sort == WORDNAME and self.base in gazetteer.likely_names()[1])

    @property
    def popular_name(self) -> bool:
        """A name, or a word that is a popular name ('mark', 'stone'): two together are a name."""
        return self.sort == NAME or (self.sort == WORDNAME and self.base in gazetteer.likely_names()[0])


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), *_reading(m.group())) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1 << 14)
def _reading(text: str) -> tuple[str, str, bool, bool]:
    """(base, sort, capitalised, possessive) of one word: it depends on the word alone, and
    staff write the same words over and over, so each is read once."""
    if text[0].isdigit():
        return text.lower(), NUMBER, False, False
    if any(c.isdigit() for c in text):
        return text.lower(), WORD, False, False   # a code: T2DM, pCO2, A1c
    if not text[0].isalpha():
        return text, MARK, False, False
    possessive = bool(re.search(r"'s?$", text)) and len(text) > 2
    bare = re.sub(r"'s?$", "", text) if possessive else text
    base = fold(bare)
    capitalised = bare[0].isupper() and not (bare.isupper() and len(bare) > 1)
    sort = sort_of(base)
    if not capitalised and sort == WORDNAME and base in gazetteer.common():
        sort = WORD   # 'is', 'had', 'will': a word in lower case, whatever the name lists say
    if _CAMEL.search(bare):
        sort = WORD   # RhoGAM, MyChart, iPhone: brands, not people (McRoberts, DeShawn are)
    return base, sort, capitalised, possessive


_CAMEL = re.compile(r"^(?!Mc|Mac|O'|De|Di|Da|La|Le|Van|Von|D')[^\W\d_]+[a-z][A-Z]")


def sort_of(base: str) -> str:
    """NAME, WORDNAME, WORD or UNKNOWN for a folded word (hyphenated ones by their parts)."""
    if "." in base:
        return UNKNOWN
    base = re.sub(r"^(?:o|d|l)'(?=\w{3})", "", base)   # O'Brien, D'Souza: the name is what follows
    parts = [p for p in base.replace("'", "-").split("-") if p]
    sorts = [_sort(p) for p in parts] or [WORD]
    if len(parts) > 1 and base in vocabulary():
        return WORD
    if len(sorts) > 1:   # Oyelaran-Brooks, al-Sayed; not mid-axillary, pip-tazo, Guillain-Barré
        named = sum(s in (NAME, WORDNAME) for s in sorts)
        return NAME if WORD not in sorts and named and named + sorts.count(UNKNOWN) == len(sorts) \
            and NAME in sorts else UNKNOWN
    for sort in (NAME, WORDNAME, UNKNOWN):
        if sort in sorts:
            return sort
    return WORD


@cache
def _sort(part: str) -> str:
    if len(part) == 1 or part in vocabulary():
        return WORD
    only, also = gazetteer.names()
    if part in only:
        return NAME
    if part in also:
        return WORDNAME
    return WORD if part in gazetteer.words() else UNKNOWN


@dataclass(frozen=True)
class Vocabulary:
    """Cue words, ward shorthand, the aspect taxonomy and language names: never names."""

    words: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return word in self.words or word in gazetteer.languages()


@cache
def vocabulary() -> Vocabulary:
    from bot.matching.aspects import load_taxonomy
    taxonomy = {fold(w) for a in load_taxonomy() for text in (a.name, *a.synonyms)
                for w in re.findall(r"[^\W\d_]+", text)}
    cue_words = {p[0] for phrases in cues().values() for p in phrases.phrases if len(p) == 1}
    return Vocabulary(frozenset(cue_words | taxonomy))
