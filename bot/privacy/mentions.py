"""What in a text may be a person's name: runs of words the name lists know, or capitalised words
no list knows, with what stands around them.

A run is `strong` when it is a name on its own (a word only the name lists know, or two
capitalised names: "Rose Park"), and `weak` when it is a name only where a slot says so: a
capitalised word, or a word that is a popular name ("mrs rose", "reyes in 12", "pt greta").
In lower case, words that are also names ("portal", "so sweet") are only words; so are, in a
Vietnamese sentence, its syllables ("em muốn học cách đọc"), for its names are made of them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.privacy import gazetteer
from bot.privacy.cues import cues
from bot.privacy.words import MARK, NAME, UNKNOWN, WORDNAME, Token

PARTICLES = {"van", "der", "de", "la", "del", "da", "dos", "das", "do", "di", "du", "le", "bin",
             "ibn", "al", "el", "thi", "von", "mac", "ben", "bint", "y"}
_BOUNDARY = {".", "!", "?", ";", "\n"}
_ABBREVIATIONS = {"st", "sr", "jr", "vs", "no", "esp", "etc", "approx", "ul", "av"}
_VIETNAMESE = re.compile("[ăđơư\u1ea0-\u1ef9]", re.IGNORECASE)   # letters no other language uses
# Vietnamese titles are titles only with their accents: "có", "ba", "chu" are ordinary words.
_ACCENTED_TITLES = {"ba": "bà", "ong": "ông", "co": "cô", "chu": "chú", "cu": "cụ"}


@dataclass(frozen=True)
class Mention:
    """A run of name-like tokens: `tokens[first:last + 1]`."""

    first: int
    last: int
    strong: bool   # a name on its own: it is refused unless a colleague's or a thing
    weak: bool     # a name only where a slot says so ("mrs rose", "reyes in 12")


def mentions(tokens: list[Token]) -> Iterator[Mention]:
    vietnamese = any(_VIETNAMESE.search(t.text) for t in tokens)
    i = 0
    while i < len(tokens):
        if not _candidate(tokens, i):
            i += 1
            continue
        skip = cues()["patient"].starting_at([t.base for t in tokens[i:i + 3]], 0)
        if skip:   # "bệnh nhân", "our guy": the cue, not a name
            i += skip
            continue
        last = i
        titled = titled_at(tokens, i)
        syllable = _syllable(tokens[i], vietnamese)
        while last + 1 < len(tokens) and last - i < 4 and not tokens[last].possessive:
            nxt = last + 1
            if _candidate(tokens, nxt) and (_continues(tokens[i], tokens[nxt]) or titled) \
                    and _syllable(tokens[nxt], vietnamese) == syllable:   # not "cách đặt | sonde"
                last = nxt
            elif (tokens[nxt].base in PARTICLES and nxt + 1 < len(tokens) and tokens[i].capitalised
                  and _candidate(tokens, nxt + 1) and tokens[nxt + 1].capitalised):
                last = nxt + 1
            else:
                break
        yield _mention(tokens, i, last, vietnamese)
        i = last + 1


def titled_at(tokens: list[Token], i: int) -> bool:
    """Whether a title stands right before tokens[i] ("mrs adeyemi", "Sr. Quintana", "bà mai")."""
    before = tokens[i - 2] if i > 1 and tokens[i - 1].text == "." else tokens[i - 1] if i else None
    return before is not None and before.base in cues()["titles"] and \
        _ACCENTED_TITLES.get(before.base, before.text.lower()) == before.text.lower()


def _syllable(token: Token, vietnamese: bool) -> bool:
    """A lower-case Vietnamese syllable in a Vietnamese text: a word, or part of a name."""
    return vietnamese and not token.capitalised and token.base in gazetteer.vietnamese()


def _candidate(tokens: list[Token], i: int) -> bool:
    token = tokens[i]
    if token.sort not in (NAME, WORDNAME, UNKNOWN) or "." in token.base or len(token.base) < 2:
        return False
    if token.text.isupper() and len(token.text) > 1:
        return False   # an acronym
    before = tokens[i - 1] if i else None
    return not (before and before.text in ("@", "#", "$", "/", ".")
                and before.start + len(before.text) == token.start
                and not titled_at(tokens, i))   # @priya, .SEPSISBUNDLE, not "mrs.white"


def _continues(first: Token, token: Token) -> bool:
    """A capitalised name goes on with capitalised words or names; a lower-case one with names,
    or, after a given name, with a word no list knows ("deepak raghunathan", "ahmed al-farsi")."""
    if first.capitalised:
        return token.capitalised
    return token.sort in (NAME, WORDNAME) or _surname_after(first, token)


def _surname_after(first: Token, token: Token) -> bool:
    return (first.sort == NAME or first.likely_name) and token.sort == UNKNOWN and token.rare \
        and len(token.base) > 3 and token.base.replace("-", "").isalpha()


def _mention(tokens: list[Token], first: int, last: int, vietnamese: bool) -> Mention:
    run = [t for t in tokens[first:last + 1] if t.base not in PARTICLES]
    capitalised = all(t.capitalised for t in run)
    if all(_syllable(t, vietnamese) for t in run):
        return Mention(first, last, strong=False, weak=True)   # a name only where a slot says so
    names = [t for t in run if t.sort == NAME and len(t.base) > 2]
    # A lone double-barrelled name is an eponym as often as a person ("Mallory-Weiss").
    strong = bool(names) and (capitalised or len(names) > 1 or names[0].rare) and not (
        len(run) == 1 and "-" in run[0].base)
    strong = strong or (len(run) > 1 and capitalised and any(t.sort != UNKNOWN for t in run)) or (
        len(run) == 2 and not capitalised and _surname_after(run[0], run[1]))
    # In lower case, two names in a row of which one is a name first ("rodrigo bautista",
    # "summer tran"), unless one is also a common word ("made beta", "hope will").
    strong = strong or (len(run) > 1 and all(t.popular_name for t in run)
                        and any(t.sort == NAME or t.likely_name for t in run)
                        and not any(t.base in gazetteer.common() for t in run))
    # In lower case, words that are also names ("portal", "so sweet") are only words.
    weak = strong or capitalised or any(t.likely_name for t in run) or (
        len(run) > 1 and all(t.popular_name for t in run))
    return Mention(first, last, strong, weak)


def words_before(tokens: list[Token], index: int, n: int) -> list[str]:
    """Up to n folded words before `index`, nearest first, stopping at a sentence boundary
    (the full stop of "Mr." or "Dr." is none)."""
    out: list[str] = []
    start = max(0, index - 2 * n)
    for i in range(index - 1, start - 1, -1):
        token = tokens[i]
        if token.text in _BOUNDARY and not (token.text == "." and i and _abbreviation(tokens[i - 1])):
            break
        if token.sort != MARK:
            out.append(token.base)
    return out[:n]


def _abbreviation(token: Token) -> bool:
    c = cues()
    return len(token.base) == 1 or token.base in c["titles"] or token.base in c["colleague_titles"] \
        or token.base in _ABBREVIATIONS


def words_after(tokens: list[Token], index: int, n: int) -> list[str]:
    """Up to n folded tokens after `index`; "(" and "," kept, as they matter ("Gregory Tan (son)")."""
    out: list[str] = []
    for token in tokens[index + 1:index + 1 + 2 * n]:
        if token.text in _BOUNDARY:
            break
        if token.sort != MARK or token.text in ("(", ","):
            out.append(token.text if token.sort == MARK else token.base)
    return out[:n]


