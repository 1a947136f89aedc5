"""Whose number or address: a unit's, an office's or an event's, not a patient's.

Staff pass on the pharmacy's line, the sim lab's front desk, a conference hotel or the unit
printer's address. Those pass when a staff place stands in the words before them and nothing
in the whole text points at a patient or their family (a patient word, a relative, a bed, a
third person, a home): "the pharmacy line x4-2210" passes, "call the pt's daughter on the
pharmacy line 617…" does not.
"""

import re

from bot.privacy.cues import cues
from bot.privacy.gazetteer import fold

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_BEFORE = 8   # words looked at before the number or address
_HOME = {"home", "casa", "lives", "vive", "mora", "house", "apartment", "apt"}
_ROOMS = {"room", "rm"}   # a venue has rooms too ("symposium venue: …, room B")


def staff_contact(text: str, start: int) -> bool:
    """Whether what starts at `start` of `text` (normalised) is a staff place's."""
    c = cues()
    before = [fold(w) for w in _WORD.findall(text[:start])][-_BEFORE:]
    if not any(c["staff_places"].ending_at(before, i) for i in range(len(before))):
        return False
    return not any(w in c["third_person"] for w in before) and not patient_context(text)


def patient_context(text: str) -> bool:
    """Whether anything in `text` points at a patient or their family (a pronoun after the
    number, "…, she loves questions", may be the colleague's)."""
    c = cues()
    words = [re.sub(r"'s?$", "", fold(w)) for w in _WORD.findall(text)]
    for i, word in enumerate(words):
        if word in _HOME or word in c["patient"] or (word in c["beds"] and word not in _ROOMS):
            return True
        if c["relatives"].ending_at(words, i) or c["households"].ending_at(words, i):
            return True
    return False


def about_someone(text: str) -> bool:
    """`patient_context`, or a third person anywhere ("her caringbridge page")."""
    third = cues()["third_person"]
    return patient_context(text) or any(fold(w) in third for w in _WORD.findall(text))
