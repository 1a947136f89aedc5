"""The colleague rule: what around a name says it is a member of staff, not a patient.

A title or role before it ("dr", "charge nurse", "la enfermera jefe Sra."), being thanked or
addressed ("thanks Kate", "shoutout to jen", "gracias a la dra."), introducing oneself ("I'm
Tomás"), an @-mention, the speaker's own family ("my husband Dev"), or after it a team or a
role ("from pharmacy", "in EVS", "sa security", "de la cafetería", ", our NM", ", RN").
"""

import re

from bot.privacy import gazetteer
from bot.privacy.cues import cues
from bot.privacy.words import Token

LOCATIVE = {"in", "from", "to", "at", "near", "en", "em", "a", "of", "de", "outside", "around"}
# Words that may stand between a role and the name: "our new CNS Ms.", "la jefa de piso, la Sra.".
_BETWEEN = {"the", "our", "my", "new", "la", "el", "mi", "a", "de", "piso", "unit", "to", "kay",
            "po", "and", "&", "big", "huge", "also", "esp", "especially", "y", "e", "et", "nicu", "icu",
            "picu", "ed", "er", "night", "day", "nights", "days", "fellow", "other"}
UNITS = {"or", "icu", "ed", "er", "pacu", "cvicu", "ir", "wound", "float", "unit", "floor", "ward",
         "clinic", "cath", "dialysis", "onc", "gi", "l&d", "nicu", "picu", "ccu", "micu", "sicu",
         "anesthesia", "ortho", "peds", "rehab"}
_TEAMS_AFTER = {"from", "de", "del", "sa", "in", "of", "at", "on"}


def own(before: list[str]) -> bool:
    """Whether the word before is the speaker's: 'my (husband Dev)', 'mi (abuela)'."""
    return bool(before) and before[0] in cues()["first_person"]


def colleague(tokens: list[Token], mention, before: list[str], after: list[str]) -> bool:
    if mention.first and tokens[mention.first - 1].text == "@":
        return True
    return _introduced(before) or _placed(after) or _at_work(after) or _alongside(before, after)


def _at_work(after: list[str]) -> bool:
    """What staff do and patients don't: 'tanvir covered my call', 'andrzej took my 2 admits',
    'kwabena taught the ekg workshop', 'xiomara and tyrone on the stroke team'."""
    words = [w for w in after if w not in ("(", ",")]
    return any(cues()["staff_work"].starting_at(words, i) for i in range(min(4, len(words))))


def _alongside(before: list[str], after: list[str]) -> bool:
    """Named beside the speaker or a colleague: 'me and wei ran the rapid', 'shoutout to fatima
    and olu': the partner of a colleague is one."""
    if before[:2] in (["and", "me"], ["and", "i"]) or after[:2] in (["and", "i"], ["and", "me"]):
        return True
    if after[:1] in (["and"], ["&"], ["y"]) and (_placed(after[2:]) or _at_work(after[2:])):
        return True   # "chidi and ngozi from rt", "tuan and grace ran the debrief"
    return before[:1] in (["and"], ["&"], ["y"]) and _introduced(before[2:])


def _introduced(before: list[str]) -> bool:
    """A role, title, thanks or self-introduction before the name, with only small words between."""
    c = cues()
    titles = c["titles"]
    for depth in range(min(6, len(before))):
        words = list(reversed(before[depth:]))
        end = len(words) - 1
        if c["colleague_titles"].ending_at(words, end) or c["addressed"].ending_at(words, end) \
                or c["self_names"].ending_at(words, end):
            return True
        if own(before[depth:depth + 1]) and before[depth:depth + 1] != ["me"] and depth and \
                before[depth - 1] in c["relatives"]:
            return True   # "my husband Dev"
        word = before[depth]
        # This surname's first name or initial, or a colleague listed before: "educator Karen
        # Hollis", "thanks j. ramirez", "shout out to rahul, ayesha and jin".
        named = word in gazetteer.likely_names()[0] or word in gazetteer.names()[0]
        if depth == 0 and (len(word) == 1 or named):
            continue
        if word not in _BETWEEN and word not in titles:
            return False
    return False


def _placed(after: list[str]) -> bool:
    """'from pharmacy', 'in EVS', 'sa security', 'de la cafetería', 'our educator', ', RN'."""
    c = cues()
    words = [w for w in after if w not in ("(", ",")]
    if words[:1] in (["la"], ["el"], ["the"]) and words[1:2] and words[1] in _TEAMS_AFTER:
        words = words[1:]   # "sra. guadalupe, la de farmacia"
    if not words:
        return False
    if words[0] in _TEAMS_AFTER:
        rest = [w for w in words[1:] if w not in ("the", "la", "el", "our")]
        if not rest:
            return False
        if words[0] == "from" and not re.match(r"\d", rest[0]) and rest[0] not in gazetteer.places()[0]:
            return True
        return c["departments"].starting_at(rest, 0) > 0
    lead = words[1:] if words[0] in ("our", "the", "my", "mi", "nuestra", "nuestro", "la", "el") else words
    # A role, perhaps after its unit or a word on it: ", RN", "the OR charge", "our new PCT".
    for i in range(min(3, len(lead))):
        if c["colleague_titles"].starting_at(lead, i):
            return True
        if lead[i] not in _BETWEEN and lead[i] not in UNITS and lead[i] not in c["departments"]:
            break
    return words[:2] == ["is", "my"] and len(words) > 2 and words[2] in c["colleague_titles"] \
        or words[:2] == ["is", "precepting"]
