"""The PHI guard: free text that looks like it names or identifies a patient is refused.

It errs on the side of refusing: a false refusal costs a rephrase, a false pass puts patient
data into a staff chat. Clinical words with numbers ("PGY-2", "CKD stage 4", "30-day
readmissions", "the 2024 guidelines", "ABG 7.21/58/62") pass. Measured on labelled sets in
tests/data against Microsoft Presidio (`python -m bench.phi`; figures in the README). What is
refused is never logged or echoed.
"""

import re
from functools import cache
from pathlib import Path

from bot.errors import PhiRefused

_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_LOWER_NAME = r"[a-z]+(?:'[a-z]+)?"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY_MONTH = rf"(?:\d{{1,2}}/\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b|{_MONTH}\.?\s+\d{{1,2}}\b)"
# A token that can only be an identifier: at least five characters, two of them digits.
_ID = r"(?=[\w-]*\d[\w-]*\d)[A-Za-z0-9][\w-]*[A-Za-z0-9](?<=[\w-]{5})"
_NUMBER_WORDS = r"(?:\s*(?:number|num|nbr|no\.?|#|id|is|was|:|=|{states}))*\s*"
_US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
    "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
)
_NUMBER_WORDS = _NUMBER_WORDS.format(states="|".join(_US_STATES))
_LABELS = {
    "a medical record number":
        r"mrn|medical record|record|chart|fin|csn|encounter|enc|hosp(?:ital)?\s+(?:no|number)"
        r"|mr(?=\s*[:#])|med\s*rec(?=\s*#)",
    "an insurance number":
        r"member|subscriber|beneficiary|policy\s+(?:no|number|#)|medicare|medicaid|medi-cal|mbi"
        r"|cin|insurance|group\s+(?:no|number|#)|plan\s+(?:no|number|#)",
    "an account or card number": r"account|acct|card|visa|mastercard|amex|iban|routing",
    "a licence or certificate number":
        r"licen[cs]e|dl|cdl|passport|plate|vin|certificate|cert|veh(?:icle)?\s+reg(?:istration)?"
        r"|state\s+id|id\s+card",
    "a device serial number": r"serial|s/n|sn|udi|transmitter|device\s+id",
    "an identifying number": r"id",
}
_STREET = (r"street|avenue|road|boulevard|lane|drive|court|place|terrace|parkway|highway"
           r"|circle|square")
_STREET_SHORT = r"St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Pkwy|Hwy"
_STREET_LOWER = r"ave|rd|blvd|ln|pkwy|hwy"  # "st", "dr", "ct", "pl" mean other things in lower case

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    *((kind, re.compile(rf"\b(?:{label})\b{_NUMBER_WORDS}{_ID}", re.IGNORECASE))
      for kind, label in _LABELS.items()),
    ("a medical record number", re.compile(r"(?<![\w.-])\d{7,10}(?![\w.-])")),
    ("a device serial number", re.compile(r"\(01\)\s?\d{14}")),  # a GS1 device identifier
    ("an identifying number", re.compile(  # letters and five or more digits: XJH123456789,
        # but not a quantity ("25000units")
        r"\b(?!\d+(?:units?|u|iu|mg|mcg|ml|k)\b)"
        r"(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d){4})(?=[\d-]*[A-Za-z])[A-Za-z0-9][\w-]{5,}\b",
        re.IGNORECASE)),
    ("an insurance number", re.compile(  # Medicare's MBI: 1EG4-TE5-MK73
        r"\b\d[A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b", re.IGNORECASE)),
    ("an account or card number", re.compile(  # IBAN
        r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")),
    ("a social security number", re.compile(r"\b\d{3}([\s-])\d{2}\1\d{4}\b")),
    ("a social security number", re.compile(
        r"\b(?:ssn|social(?:\s+security)?)\b\D{0,12}\d{3}\W?\d{2}\W?\d{4}\b", re.IGNORECASE)),
    ("a date of birth", re.compile(
        rf"\b(?:DOB|D\.O\.B\.?|date of birth|born on)\b\W{{0,3}}(?:is\s+|was\s+)?(?:\d|{_MONTH})",
        re.IGNORECASE)),
    ("a date of birth", re.compile(
        r"(?<![\d.])(?:0?[1-9]|1[0-2])([/.-])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)?\d{2}(?![\d.])")),
    ("a date of birth", re.compile(r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b")),
    ("a date of birth", re.compile(
        rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(?:19|20)\d{{2}}\b",
        re.IGNORECASE)),
    ("a date of birth", re.compile(r"\bborn\s+(?:in\s+)?(?:19|20)\d{2}\b", re.IGNORECASE)),
    ("a date tied to a patient", re.compile(
        rf"\b(?:admitted|admission|discharged?|d/c'?d?|died|death|passed away|expired|born"
        rf"|transferred|operated|surgery|procedure)\b\s+(?:on\s+|in\s+)?{_DAY_MONTH}"
        rf"|\b(?:seen|arrived|presented|coded)\s+on\s+{_DAY_MONTH}", re.IGNORECASE)),
    ("an age over 89", re.compile(
        r"\b(?:9\d|1[01]\d)\s*-?\s*(?:y(?:ea)?rs?[\s-]*old|y/?o|yrs?)\b"
        r"|\bage[sd]?\s*:?\s*(?:9\d|1[01]\d)\b", re.IGNORECASE)),
    ("a phone number", re.compile(
        r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])")),
    ("a phone number", re.compile(r"(?<![\w-])\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}(?![\w-])")),
    ("a phone number", re.compile(
        r"\b(?:phone|cell|mobile|tel|fax|pager|number|call|text|reach|ext)\b\D{0,12}"
        r"(?<!\d)\d{3}[\s.-]\d{4}\b", re.IGNORECASE)),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("a web address", re.compile(
        r"\b(?:https?|ftp)://\S+|\bwww\.\S+"
        r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|us|health)\b", re.IGNORECASE)),
    ("an IP address", re.compile(
        r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")),
    ("an IP address", re.compile(  # IPv6, with a "::" or a hex letter (so no clock times)
        r"(?<![\w:])(?=[\w:]*(?:::|[a-f]))(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{1,4}(?![\w:])",
        re.IGNORECASE)),
    ("a street address", re.compile(
        rf"\b\d{{1,6}}\s+(?:[A-Za-z0-9.]+\s+){{1,3}}(?:{_STREET}|{_STREET_LOWER})\b", re.IGNORECASE)),
    ("a street address", re.compile(
        rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))\s+){{1,3}}"
        rf"(?:{_STREET_SHORT})\b\.?")),
    ("a street address", re.compile(
        r"\b\d{1,6}\s+[nsew]\.?\s+\d+(?:st|nd|rd|th)\s+(?:st|ave|rd)\b", re.IGNORECASE)),
    ("a street address", re.compile(
        r"\b(?:apt|apartment)\.?\s*#?\s*\d+[a-z]?\b|\bP\.?\s?O\.?\s+Box\s+\d+"
        r"|\b(?:zip|postal)(?:\s*code)?\W{0,3}\d{5}(?:-\d{4})?\b"
        rf"|\b(?:{'|'.join(_US_STATES)})\s+\d{{5}}(?:-\d{{4}})?\b", re.IGNORECASE)),
    ("a patient's name", re.compile(
        rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+{_NAME}\b(?!(?:\s+{_NAME})?(?:,?\s+our\b|"
        rf"(?:\s+from\s+\w+)?\s+(?:taught|showed|teaches|trained)\b))")),
    ("a patient's name", re.compile(rf"\b(?:mrs\.?|mr\.|ms\.)\s+{_LOWER_NAME}")),
    ("a patient's name", re.compile(r"\b(?:patient|pt)(?:'s)?\s+name\s*[:=-]?\s*[a-z]", re.IGNORECASE)),
    ("a patient's name", re.compile(
        rf"\b{_NAME}\s+{_NAME}'s\s+(?:daughter|son|wife|husband|partner|family|mom|dad|mother"
        rf"|father|sister|brother|sats|vitals|labs|pressure|bp|meds|wound|diagnosis|code)\b")),
    ("a patient's name", re.compile(rf"\b(?:baby|infant|newborn)\s+(?:boy\s+|girl\s+)?{_NAME}\s+{_NAME}")),
]
_PATIENT_NAME = re.compile(
    rf"\b(?:patient|pt)s?\b\.?[,:]?\s+(?:(?:named|called|is|was)\s+)?(?P<first>{_NAME})"
    rf"(?:\s+(?P<last>{_NAME}))?",
    re.IGNORECASE,
)
# Who a clinician acts on, then a capitalised full name: "discharged Maria Lopez".
_ACTED_ON = re.compile(
    rf"\b(?:discharged|admitted|transferred|intubated|extubated|rounded on|examined|triaged"
    rf"|coded|family of|daughter of|son of|wife of|husband of|mother of|father of)"
    rf"\s+(?P<first>{_NAME})\s+(?P<last>{_NAME})\b")
# A name from the list right after a patient word, whatever its case: "my patient john smith".
_NAMED_AFTER = re.compile(
    r"\b(?:patient|pt|pt's|discharged|admitted|rounded on)\s+(?:(?:named|called|is|was|:)\s+)?"
    r"(?P<first>[A-Za-z]+)\b", re.IGNORECASE)
# Beds and bays hold patients; rooms can be meeting rooms ("debrief with Priya in room 4").
_NAME_IN_ROOM = re.compile(rf"\b{_NAME}\s+(?:{_NAME}\s+)?\(?in\s+(?:bed|bay)\s+\d+"
                           rf"|\b{_NAME}\s+{_NAME}\s+\((?:bed|bay)\s+\d+\)")
_ROOM_THEN_NAME = re.compile(rf"\b(?:room|bed|bay)\s+\d+[a-z]?,?\s+(?P<first>{_NAME})",
                             re.IGNORECASE)

# Capitalised words that follow "patient" in ordinary staff talk and are not names.
_NOT_NAMES = {
    "safety", "care", "experience", "flow", "education", "portal", "advocate", "advocacy",
    "satisfaction", "centered", "centred", "outcomes", "engagement", "relations", "services",
    "access", "rights", "handoff", "handoffs", "transport", "transfer", "and", "with", "who",
    "was", "is", "in", "on", "at", "for", "from", "the", "a", "an", "of", "to", "had", "has",
    "presented", "came", "said", "admitted", "list", "lists", "panel", "load", "census",
}
_TITLES = {"dr", "doctor", "nurse", "prof", "professor", "attending", "resident", "fellow",
           "chief", "charge", "pharmacist", "student", "intern"}
_WEEKDAYS_MONTHS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr",
                    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


@cache
def _first_names() -> frozenset[str]:
    text = (Path(__file__).parent / "data" / "first_names.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


def findings(text: str) -> list[str]:
    """What kinds of patient information `text` seems to hold (empty when it is clean)."""
    found: list[str] = []
    for kind, pattern in _CHECKS:
        if kind not in found and pattern.search(text):
            found.append(kind)
    if any(kind.startswith("an account") for kind in found) or _card_number(text):
        found = [k for k in found if not k.startswith("an account")] + ["an account or card number"]
    if "a patient's name" not in found and _names_a_patient(text):
        found.append("a patient's name")
    return found


def _names_a_patient(text: str) -> bool:
    return (
        any(m.group("first")[0].isupper() and m.group("first").lower() not in _NOT_NAMES
            for m in _PATIENT_NAME.finditer(text))
        or any(m.group("first").lower() not in _NOT_NAMES | _TITLES
               for m in _ACTED_ON.finditer(text))
        or any(m.group("first").lower() in _first_names() for m in _NAMED_AFTER.finditer(text))
        or _NAME_IN_ROOM.search(text) is not None
        or any(m.group("first")[0].isupper() and m.group("first").lower() not in _NOT_NAMES
               and m.group("first").lower()[:3] not in _WEEKDAYS_MONTHS
               for m in _ROOM_THEN_NAME.finditer(text))
    )


def _card_number(text: str) -> bool:
    """13 to 19 digits, spaced or not, that pass the Luhn check card numbers carry."""
    for match in re.finditer(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", text):
        digits = [int(d) for d in re.sub(r"\D", "", match.group())]
        odd = sum(digits[-1::-2])
        even = sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
        if (odd + even) % 10 == 0:
            return True
    return False


def check(*texts: str | None) -> None:
    """Raise `PhiRefused` if any of the texts looks like it holds patient information."""
    kinds: list[str] = []
    for text in texts:
        for kind in findings(text or ""):
            if kind not in kinds:
                kinds.append(kind)
    if kinds:
        raise PhiRefused(kinds)
