"""The PHI guard: free text that looks like it names or identifies a patient is refused.

It errs on the side of refusing: a false refusal costs a rephrase, a false pass puts patient
data into a staff chat. Clinical words with numbers ("PGY-2", "CKD stage 4", "30-day
readmissions", "the 2024 guidelines") pass. What is refused is never logged or echoed.
"""

import re

from bot.errors import PhiRefused

_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# Capitalised words that follow "patient" in ordinary staff talk and are not names.
_NOT_NAMES = {
    "safety", "care", "experience", "flow", "education", "portal", "advocate", "advocacy",
    "satisfaction", "centered", "centred", "outcomes", "engagement", "relations", "services",
    "access", "rights", "handoff", "handoffs", "transport", "transfer", "and", "with", "who",
    "was", "is", "in", "on", "at", "for", "from", "the", "a", "an", "of", "to", "had", "has",
    "presented", "came", "said", "admitted", "list", "lists", "panel", "load", "census",
}

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    ("a medical record number", re.compile(
        r"\b(?:MRN|medical record (?:number|no\.?|#)|chart (?:number|no\.?|#)|FIN|CSN)"
        r"\s*[:#]?\s*[A-Z]?\d{4,}", re.IGNORECASE)),
    ("a medical record number", re.compile(r"(?<![\w.-])\d{7,10}(?![\w.-])")),
    ("a social security number", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("a date of birth", re.compile(r"\b(?:DOB|D\.O\.B\.?|date of birth|born on)\b", re.IGNORECASE)),
    ("a date of birth", re.compile(
        r"\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:19|20)?\d{2}\b")),
    ("a date of birth", re.compile(r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")),
    ("a date of birth", re.compile(
        rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}\b", re.IGNORECASE)),
    ("a date of birth", re.compile(r"\bborn\s+(?:in\s+)?(?:19|20)\d{2}\b", re.IGNORECASE)),
    ("a phone number", re.compile(
        r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])")),
    ("a phone number", re.compile(r"(?<![\w-])\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}(?![\w-])")),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("a street address", re.compile(
        r"\b\d{1,6}\s+(?:[A-Z][a-z]+\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
        r"Terrace|Way|Parkway|Pkwy|Highway|Hwy)\b\.?")),
    ("a patient's name", re.compile(
        rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+{_NAME}")),
]
_PATIENT_NAME = re.compile(
    rf"\b(?:patient|pt)s?\b\.?[,:]?\s+(?:(?:named|called|is|was)\s+)?(?P<first>{_NAME})"
    rf"(?:\s+(?P<last>{_NAME}))?",
    re.IGNORECASE,
)
_NAME_IN_ROOM = re.compile(rf"\b{_NAME}\s+(?:{_NAME}\s+)?in\s+(?:room|bed|bay)\s+\d+", 0)
_ROOM_THEN_NAME = re.compile(rf"\b(?:room|bed|bay)\s+\d+[a-z]?,?\s+(?P<first>{_NAME})",
                             re.IGNORECASE)


def findings(text: str) -> list[str]:
    """What kinds of patient information `text` seems to hold (empty when it is clean)."""
    found: list[str] = []
    for kind, pattern in _CHECKS:
        if kind not in found and pattern.search(text):
            found.append(kind)
    if "a patient's name" not in found and (
        _names_a_patient(text) or _NAME_IN_ROOM.search(text) or _room_then_name(text)
    ):
        found.append("a patient's name")
    return found


def _names_a_patient(text: str) -> bool:
    for match in _PATIENT_NAME.finditer(text):
        first = match.group("first")
        # The regex is case-insensitive for "patient", but a name must really be capitalised.
        if first[0].isupper() and first.lower() not in _NOT_NAMES:
            return True
    return False


def _room_then_name(text: str) -> bool:
    return any(m.group("first")[0].isupper() and m.group("first").lower() not in _NOT_NAMES
               and m.group("first").lower()[:3] not in _WEEKDAYS_MONTHS
               for m in _ROOM_THEN_NAME.finditer(text))


_WEEKDAYS_MONTHS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr",
                    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def check(*texts: str | None) -> None:
    """Raise `PhiRefused` if any of the texts looks like it holds patient information."""
    kinds: list[str] = []
    for text in texts:
        for kind in findings(text or ""):
            if kind not in kinds:
                kinds.append(kind)
    if kinds:
        raise PhiRefused(kinds)
