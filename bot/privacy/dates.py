"""Stage 3a of the guard: dates tied to a patient, and ages over 89.

A date is an identifier when it is a patient's: of birth ("DOB", "fecha de nacimiento",
"pt's bday"), or of a clinical event near it ("admitted 10/30", "LMP 3/1", "op was Jan 9",
"ingresó el 15 de agosto"). A date with a year and no staff event near it counts too. Dates
of staff life pass: "orientation 02/06/2027", "ACLS recert due 3/15", "my bday is 7/4". Ages
over 89 count in any form: "92M", "93yoF", "97 años", "(F, 92)", "she turns 100", "born '29".
"""

import re
from collections.abc import Iterator

from bot.privacy.cues import Phrases, cues
from bot.privacy.gazetteer import fold

_MONTHS = (r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[sś]nia|pa[zź]dziernika"
           r"|listopada|grudnia|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril"
           r"|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|janeiro"
           r"|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|janvier"
           r"|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
           r"|pebrero|marso|hunyo|hulyo|setyembre|oktubre|nobyembre|disyembre")
_ORDINAL_WORDS = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh"
                  r"|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
                  r"|nineteenth|twentieth|twenty-\w+|thirtieth|thirty-first")
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
# Every alternative of the patterns below begins at the start of a word, at a digit or at "(":
# saying so first lets the engine pass over every other position at once (a third of the time).
_STARTS = r"(?:(?<!\w)(?=\w)|(?=[\d(]))"
_HOLIDAYS = (r"christmas(?:\s+eve)?|xmas(?:\s+eve)?|nye|new\s+year'?s(?:\s+eve|\s+day)?"
             r"|thanksgiving|halloween|easter|(?:the\s+)?4th\s+of\s+july|fourth\s+of\s+july|july\s+4th"
             r"|mother'?s\s+day|father'?s\s+day|labor\s+day|memorial\s+day|veterans\s+day|mlk\s+day"
             r"|presidents'?\s+day|super\s+bowl\s+sunday|black\s+friday|d[ií]a\s+de\s+las\s+madres"
             r"|valentine'?s(?:\s+day)?|nochebuena|navidad|a[ñn]o\s+nuevo|d[ií]a\s+de\s+reyes")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
_FULL_DATE = re.compile(
    rf"{_STARTS}(?:(?<![\d/.-])\d{{1,2}}([/.-])\d{{1,2}}\1(?:\d{{4}}|\d{{2}})(?![\d/-]|\.\d)"
    rf"|\b(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}\b"
    rf"|\b\d{{1,2}}\.(?:i{{1,3}}|iv|vi{{0,3}}|ix|xi{{0,2}})\.(?:19|20)\d{{2}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+{_DAY},?\s+(?:19|20)\d{{2}}\b"
    rf"|\b{_DAY}\s+(?:de\s+|of\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+|del\s+)?(?:19|20)\d{{2}}\b)", re.IGNORECASE)
_DAY_MONTH = re.compile(
    rf"{_STARTS}(?:(?<![\d/.:-])\d{{1,2}}/\d{{1,2}}(?![\d/.]|-\d)"
    rf"|\b(?:{_MONTHS})\.?\s+{_DAY}\b(?!\s*(?:am|pm|hrs?|hours|min|mg|%))"
    rf"|\b{_DAY}\s+(?:de\s+|of\s+)?(?:{_MONTHS})\b"
    rf"|\b(?:{_ORDINAL_WORDS})\s+(?:of\s+)?(?:{_MONTHS})\b|\b(?:{_MONTHS})\.?\s+(?:the\s+)?(?:{_ORDINAL_WORDS})\b"
    rf"|\bthe\s+(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_WORDS})\b(?:\s+of\s+(?:{_MONTHS}))?"
    rf"|\b(?:{_MONTHS})\.?\s+(?:'\d{{2}}|(?:19|20)\d{{2}})\b"
    rf"|\bika-?\d{{1,2}}\s+ng\s+(?:{_MONTHS})\b"
    rf"|\b(?:{_WEEKDAY})\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b"
    rf"|\b(?:el|del)\s+\d{{1,2}}\b(?!\s*(?:%|años|pacientes))"
    rf"|\bngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}\b"
    rf"|\b(?:{_HOLIDAYS})\b)", re.IGNORECASE)
_BIRTH = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date of birth|birth\s?date|birthdate|b-?day'?s?|birthday|cumpleaños|cumple"
    r"|fecha de nacimiento|f\.?\s?nac\.?|nacimiento|naci[oó]|nacid[oa]|born(?:\s+on)?|nasceu|nascid[oa]"
    r"|data de nascimento|n[ée]e?\s+le|date de naissance|dod|date of death|time of death|tod"
    r"|ngày sinh|sinh ngày|sinh năm)\b",
    re.IGNORECASE)
_AGE = "(?:9\\d|1[01]\\d)"
_AGES = re.compile(
    rf"{_STARTS}(?:\b{_AGE}\s*-?\s*(?:yo|y/o|y\.o\.?|yrs?|years?(?:[\s-]+old)?|year-old|yr-old|años|anos|ans|tuổi"
    rf"|taong gulang|yo[mf]|y/o[mf])(?![\w/])"
    rf"|(?<![\d.])(?<!temp )(?<!\bt )(?<!tmax )(?<!fever )(?<!febrile )\b{_AGE}\s?(?:yo\s?)?[mf]\b(?!\s*°)"
    rf"|\(\s*[mf]\s*,\s*{_AGE}\s*\)"
    rf"|\b(?:he|she|they|pt|patient|paciente|el|ella|elle|siya)(?:'s|\s+is|\s+was|\s+just)?\s+"
    rf"(?:turned|turns|turning|is|was|'s|tiene|cumpli[oó]|cumple|a|ay)?\s*"
    rf"(?:like|about|around|almost|nearly|over|maybe|prob|probably)?\s*{_AGE}\b"
    rf"(?!\s*(?:%|percent|mm|mg|bpm|min|sec|kg|lb|ml|l\b|/|on\b|sats?|o2))"
    rf"|\b(?:turned|turns|turning|cumpli[oó]|cumple|aged?)\s+{_AGE}\b(?!\s*(?:%|min|sec))"
    rf"|\b(?:age|edad|idade|âge)\s*[:=]?\s*{_AGE}\b)",
    re.IGNORECASE)
# Ages over 89 said without a figure next to a unit: "nonagenarian", "his 100th bday", "pt 9 9
# yo", "age 9O"; and, in the raw text, a spelled-out ninety-something or hundred-and-something,
# which staff write only for an age ("ninety six and stubborn", "a hundred and two"; vitals and
# labs come in digits, and "a hundred questions" is no age).
_ELDER = re.compile(
    r"\b(?:super)?(?:nonagenarian|centenarian|nonagenari[oa]|centenari[oa]|centenaire|nonag[ée]naire)\b"
    r"|\b(?:9\d|1[01]\d)(?:st|nd|rd|th|º|o)?\s+(?:birthday|bday|b-day|cumpleaños|cumple|anniversaire)"
    r"|\b(?:9\s\d|1\s[01]\s\d)\s*(?:yo|y/o|y\.o\.?|years?|yrs?|años)\b"
    r"|\b(?:age|edad|aged)\s*[:=]?\s*(?:9[\doO]|1[01][\doO])\b", re.IGNORECASE)
_UNIT_WORDS = (r"(?:one|two|three|four|five|six|seven|eight|nine"
               r"|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)")
_SPELLED_ELDER = re.compile(
    rf"\b(?:ninety[\s-]+{_UNIT_WORDS}|noventa\s+y\s+{_UNIT_WORDS}"
    rf"|(?:a|one)\s+hundred(?:\s+and)?\s+{_UNIT_WORDS}"
    rf"|ciento\s+{_UNIT_WORDS}|quatre-vingt-(?:onze|douze|treize|quatorze|quinze|seize|dix)"
    rf"|noventa\s+e\s+(?:um|uma|dois|duas|tr[eê]s|quatro|cinco|seis|sete|oito|nove)"
    rf"|siyamnapu(?:'t|\s+at)\s+(?:isa|isang|dalawa|tatlo|apat|lima|anim|pito|walo|siyam))\b"
    r"(?![\s-]*(?:\w+[\s-]+)?(?:percent|per\s+cent|%|por\s+ciento|minutes?|mins?|seconds?|secs?|mg|mcg"
    r"|ml|units?|bpm|beats|breaths|days?|hours?|pounds?|lbs?|kg|times|over|thousand|mil|million))",
    re.IGNORECASE)
_BIRTH_YEAR = re.compile(r"\b(?:born|nacid[oa]|naci[oó]|b\.|dob|d\.o\.b\.?|yob)\W{0,3}(?:in\s+|en\s+)?"
                         r"(?:'(\d\d)|(1\d{3}))\b",
                         re.IGNORECASE)
_WINDOW = 10
_WORD = re.compile(r"[^\W\d_]+(?:['/-][^\W\d_]+)*|&")


def findings(text: str, year: int | None, raw: str = "") -> Iterator[str]:
    """Dates and ages that identify a patient in `text` (normalised; `raw` as written); `year`
    is this year (None: every birth year counts as over 89, the safe side)."""
    ages = (m for m in _AGES.finditer(text) if not _kin(text, m))
    if any(ages) or _ELDER.search(text) or _SPELLED_ELDER.search(raw) or _born_over_89(text, year):
        yield "an age over 89"
    dated = [(m, True) for m in _FULL_DATE.finditer(text) if _valid(m.group())]
    dated += [(m, False) for m in _DAY_MONTH.finditer(text)
              if _valid(m.group()) and not any(f.start() <= m.start() < f.end() for f, _ in dated)]
    words = [fold(w) for w in _WORD.findall(text)] if dated else []
    for match, with_year in dated:
        kind = _kind(text, words, match, with_year)
        if kind:
            yield kind


def _kin(text: str, age: re.Match) -> bool:
    """The speaker's own family: 'my 94 year old great-grandpa', 'mi abuela de 96 años'."""
    before = [fold(w) for w in _WORD.findall(text[:age.start()])][-3:]
    after = [fold(w) for w in _WORD.findall(text[age.end():])][:3]
    c = cues()
    family = [w.split("-")[-1] for w in after + before]   # "great-grandpa"
    return any(w in _MY for w in before) and any(w in c["relatives"] or w in c["titles"] for w in family) \
        and not any(w in c["patient"] or w in _THEIRS for w in before + after)   # not "his daughter"


def _valid(date: str) -> bool:
    """A numeric date needs a month (12 or less) and a day (31 or less), in either order."""
    parts = re.findall(r"\d+", date)
    if len(parts) < 2 or not re.fullmatch(r"[\d/.-]+", date):
        return True
    if len(parts[0]) == 4:
        parts = parts[1:]   # 1956-03-04
    a, b = int(parts[0]), int(parts[1])
    return 1 <= min(a, b) <= 12 and 1 <= max(a, b) <= 31


def _kind(text: str, words: list[str], match: re.Match, with_year: bool) -> str | None:
    if _after_birth_cue(text[max(0, match.start() - 40):match.start()]):
        return "a date of birth"
    at = len(_WORD.findall(text[:match.start()]))
    clinical = _nearest(words, at, cues()["clinical_events"], own_is_staff=True)
    staff = _nearest(words, at, cues()["staff_events"])
    if clinical is not None and (staff is None or clinical < staff):
        return "a date tied to a patient"
    if with_year and staff is None:
        return "a date tied to a patient"
    return None


def _after_birth_cue(before: str) -> bool:
    """'DOB 4/12', 'pt's bday is march 3rd'; not the speaker's own or their child's ('my bday
    is 7/4', 'i was born on feb 29', 'my daughter was born on march 3')."""
    cues_found = list(_BIRTH.finditer(before))
    return bool(cues_found) and not _own(
        [fold(w) for w in _WORD.findall(before[:cues_found[-1].start()])][-3:])


def _nearest(words: list[str], at: int, phrases: Phrases, own_is_staff: bool = False) -> int | None:
    """Distance in words from position `at` to the nearest cue phrase, within the window."""
    best = None
    for i in range(max(0, at - _WINDOW), min(len(words), at + _WINDOW)):
        n = phrases.starting_at(words, i)
        if not n:
            continue
        if own_is_staff and _own(words[max(0, i - 3):i]):
            continue
        distance = at - (i + n) if i < at else i - at
        best = distance if best is None else min(best, distance)
    return best


def _own(before: list[str]) -> bool:
    """'my surgery', 'i was born', 'my daughter was born': the speaker's own life, unless a
    patient stands there too ('my pt was admitted'); 'we admitted her' is about a patient."""
    c = cues()
    mine = any(w in _MY for w in before) or before[-2:] in (["i", "was"], ["yo", "fui"])
    return mine and not any(w in c["patient"] or w in c["third_person"] or w in ("pt's", "pts")
                            for w in before)


_MY = {"my", "mi", "mis", "our", "meu", "minha"}
_THEIRS = {"his", "her", "their", "su", "sus", "dele", "dela", "niya"}


def _born_over_89(text: str, year: int | None) -> bool:
    for match in _BIRTH_YEAR.finditer(text):
        two, four = match.groups()
        born = int(four) if four else 1900 + int(two)
        if year is None or (year - born >= 90 and born > 1850):
            return True
    return False
