"""Names that are not people: eponyms, sites, pets and places ("virchow's triad", "Kendall
clinic", "Ivy the therapy dog", "SCCM in Orlando", "a whipple", "St. Luke's", "at Mass General")."""

from bot.privacy import gazetteer
from bot.privacy.colleagues import LOCATIVE
from bot.privacy.cues import cues
from bot.privacy.mentions import Mention
from bot.privacy.words import Token

_FUNCTION = {"in", "on", "at", "to", "for", "with", "w", "and", "the", "a", "an", "of", "is", "was",
             "from", "by", "again", "en", "de", "la", "el"}
_AND = ("and", "vs", "versus", "or", "&", "y")
_THING_BEFORE = ("a", "an", "un", "una", "st", "saint", "san", "santa", "sao", "at")


def thing(tokens: list[Token], mention: Mention, before: list[str], after: list[str]) -> bool:
    """Eponyms, sites, pets and places: 'virchow's triad', 'Kendall clinic', 'SCCM in Orlando',
    'a whipple', 'St. Luke's', 'at Mass General'."""
    c = cues()
    words = after[:after.index(",")] if "," in after else after
    words = words[:words.index("(")] if "(" in words else words
    # Right after the name, after one describing word ("harvey cardiopulmonary mannequin") or
    # after another name ("Grey Turner and Cullen signs").
    if before[:1] and before[0] in _AND and _eponym_before(before):
        return True   # "centor criteria vs mcisaac"
    eponym = c["eponym_nouns"].starting_at
    if words and (eponym(words, 0) or (len(words) > 1 and words[0] not in _FUNCTION and eponym(words, 1))
                  or (len(words) > 2 and words[0] in _AND and eponym(words, 2))):
        return True
    if before[:1] and before[0] in _THING_BEFORE:
        return True
    name = " ".join(t.base for t in tokens[mention.first:mention.last + 1])
    places = gazetteer.places()[0]
    named = [name, f"{name} {words[0]}"] if words else [name]   # "to ho chi minh city"
    return bool(before[:1]) and before[0] in LOCATIVE and any(
        n in places or n in gazetteer.regions() for n in named)


def _eponym_before(before: list[str]) -> bool:
    words = list(reversed(before[1:3]))
    return any(cues()["eponym_nouns"].ending_at(words, i) for i in range(len(words)))


