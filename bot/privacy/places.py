"""Stage 3b of the guard: where a patient lives, and addresses of any kind.

Geography smaller than a state identifies under HIPAA when it is a patient's: "lives in
Roxbury", "pt from Kendall", "she's from over in Dorchester", "vive en Hialeah", "zip 02119",
"postcode M13 9PL", "calle Pino 12". Places come from the GeoNames gazetteer (neighbourhoods
included) or are capitalised words after a residence cue; countries and US states never count.
The speaker's own life passes: "i grew up in Roxbury", "commute from Quincy is killing me", and
so do the addresses of venues and offices ("conference hotel: 1601 n. ocean blvd": `contacts`).
"""

import re
from collections.abc import Iterator

from bot.privacy import gazetteer
from bot.privacy.contacts import staff_contact
from bot.privacy.cues import cues
from bot.privacy.gazetteer import fold

_SUFFIX = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace"
           r"|parkway|pkwy|highway|hwy|way|circle|cir|alley|crescent|grove")
_ADDRESSES = [
    # (not "lipase of 3000 but ct is normal": a street's name holds no "but" nor "and")
    re.compile(rf"\b\d{{1,6}}[a-z]?\s+(?:[nsew]\.?\s+)?(?:(?!(?:but|and|or|so|then|is|was|w|with|per|x)\s)"
               rf"[\w.'-]+\s+){{1,3}}(?:{_SUFFIX})\b", re.IGNORECASE),
    re.compile(r"\b\d{2,5}\s+(?:[NSEW]\.?|[nsew]\.)\s+(?!(?i:coli|waves?|saline|leads?)\b)[A-Za-z]{3,}\b"),
    # ^ 2217 n. kedzie, 330 W. Main (not "WBC 18 w left shift", "100 E. coli")
    re.compile(r"\b(?:postcode|post\s?code|postal\s+code)\b\W{0,4}(?:area|district)?\W{0,4}(?:is\s+)?"
               r"(?:[a-z]+\s+)?[a-z]{1,2}\d{1,2}[a-z]?\b", re.IGNORECASE),   # postcode area is leeds LS9
    re.compile(r"\b(?:she|he|they|pt|patient|family)(?:'s|\s+is|\s+are|\s+lives)?\s+(?:in|from)\s+\d{5}\b",
               re.IGNORECASE),
    re.compile(r"\bcorner\s+of\s+[\w'-]+\s+(?:and|&)\s+[\w'-]+", re.IGNORECASE),
    re.compile(r"\b(?:calle|c/|avenida|av\.?|avda\.?|rua|travessa|pasaje|psje|camino|carretera|jir[oó]n"
               r"|rue|chemin|all[ée]e|impasse|boulevard|bd)\s+(?:[\w'.-]+\s+){0,4}?\d{1,5}\b", re.IGNORECASE),
    re.compile(r"\b\d{1,5},?\s+(?:rue|avenue|boulevard|chemin|calle|rua|av\.?)\s+\w", re.IGNORECASE),
    re.compile(r"\bul\.?\s+[\w'-]+\s+\d{1,4}\b", re.IGNORECASE),           # Polish: ul. Kwiatowa 7
    re.compile(r"\b(?:địa chỉ|dirección|direccion|domicilio|endereço|endereco|adresse)\b\W{0,3}"
               r"(?:[^\W\d_]+\W{1,3}){0,3}?\d{1,5}\s+[^\W\d_]{2,}", re.IGNORECASE),   # địa chỉ: 45 lê lợi
    re.compile(r"\b(?:apt|apartment|apto|depto|dpto|casa)\.?\s*#?\s*\d+[a-z]?\b"
               r"|\bP\.?\s?O\.?\s+Box\s+\d+|\bapartado\s+\d+", re.IGNORECASE),
    re.compile(r"\b(?:zip|zipcode|zip\s+code|postal(?:\s+code)?|post\s?code|c\.?p\.?|c[oó]digo\s+postal"
               r"|cep|code\s+postal)\W{0,4}(?:is\s+)?(?:\d{4,6}(?:-\d{3,4})?|[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}"
               r"|[a-z]\d[a-z]\s?\d[a-z]\d)\b", re.IGNORECASE),
    re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b"),                  # UK: M13 9PL
    re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z][ -]?\d[A-Z]\d\b"),                   # Canada: K1A 0B1
    re.compile(r"\b[A-Z0-9]{4,8}\s+plates?\b"),                                     # MOMSTAXI plates
    re.compile(r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT"
               r"|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\s+\d{5}\b"),
]
_RESIDENCE = re.compile(
    r"\b(?:lives?|living|lived|resides?|residing|(?:a\s+)?resident\s+of|stays?|staying|sleeps?|sleeping|housed|moved(?:\s+here)?"
    r"|vive|viv[ií]a|viven|reside|mora|morava|habite|habitait|vit|vivent|nakatira|taga|mieszka|s[oố]ng\s+[oở]|hometown"
    r"|home\s+town|home\s+is|residence|address(?:\s+city)?|city|town|commutes?(?:\s+in)?"
    r"|came(?!\s+back)(?:\s+(?:up|over|down|in|here))?|comes(?:\s+in)?"   # "ptt came back 112"
    r"|drove\b[^.,;]{0,25}?|(?:is|'s|are|es|son|é|est|sont)\s+(?:originally\s+)?(?:from|de)"
    r"|originally\s+from|family\s+(?:is|lives)\s+in|grew\s+up\s+in|raised\s+in|from"
    r"|(?:go(?:ing|in)?|goes|went|discharged|d/c'?d|sent)\s+home\s+to"
    r"|(?:(?<=\bbn\s)|(?<=nhân\s))ở(?=\s+(?:quận|phường)\s+\d))(?=[\s:,-])",
    re.IGNORECASE)
_LINKS = {"in", "on", "off", "at", "near", "by", "outside", "of", "around", "over", "out", "up",
          "down", "en", "em", "a", "sa", "the", "la", "el", "del", "de", "do", "da", "no", "na",
          "from", "to", "here", "back", "colonia", "barrio", "comuna", "alone", "with", "w",
          "right", "behind", "just", "ở", "o", "un", "una", "centro", "city", "town", "village"}
_PREPOSITIONS = {"in", "on", "off", "at", "near", "by", "outside", "around", "en", "em", "sa", "a",
                 "de", "ở", "w", "of", "behind"}
_STAFF_SUBJECTS = {"anyone", "anybody", "someone", "who", "you", "u", "y'all", "yall", "staff",
                   "everyone", "nurses", "residents", "coworkers", "team", "half"}
_FACILITY = {"campus", "clinic", "hospital", "center", "centre", "ed", "er", "unit", "office",
             "site", "practice", "location", "shuttle", "pavilion", "wing", "building", "school"}


# A street without a number is an address only where someone lives ("lives off Maple ave",
# "the shelter on harrison ave"), not on its own ("PALS at the red cross building on main st").
_STREET = re.compile(
    r"\b(?:on|off|near|by|along|behind|at|corner\s+of)\s+(?:the\s+)?"
    r"(?:(?:[A-Za-z][\w'-]*|\d+(?:st|nd|rd|th))\s+){1,3}"   # "near the 30th st station"
    r"(?:ave|avenue|st(?!\.?\s+(?-i:[A-Z]))|street|rd|road|blvd|boulevard|ln|lane|drive|pkwy|hwy|way|terrace)\b"
    r"|\b(?:route|rte|hwy|highway|interstate|i-)\s?\d{1,3}\b"
    r"|\b(?:calle|avenida|av\.|rua|colonia|col\.|barrio|comuna|fraccionamiento|vereda)\s+[\w'-]+",
    re.IGNORECASE)
# Where people without a home stay: "lives at the hope house women's shelter", "stays at the
# pine street inn", "the eastside projects", "under the queensboro bridge".
_SHELTER = re.compile(
    r"\b(?:at|in|from|near)\s+(?:the\s+)?(?:[\w'-]+\s+){1,4}?(?:shelter|house|inn|projects|apartments"
    r"|apts|towers|homes|trailer park|mobile home park|motel|hotel|albergue|refugio|bridge|encampment"
    r"|camp|underpass|village|courts|gardens)\b|\bunder\s+the\s+(?:[\w'-]+\s+){1,3}(?:bridge|overpass|underpass)\b",
    re.IGNORECASE)


def findings(text: str) -> Iterator[str]:
    """Addresses, postal codes and patients' places in `text` (normalised)."""
    resident = [m for m in _RESIDENCE.finditer(text) if _lives_there(text, m)]
    homed = bool(resident) or bool(_PATIENT_HOME.search(text))
    addresses = (m for p in _ADDRESSES for m in p.finditer(text))
    if any(not staff_contact(text, m.start()) for m in addresses) or (
            homed and (_STREET.search(text) or _SHELTER.search(text))):
        yield "a street address"
    if any(_patient_place(text, m) for m in resident):
        yield "a place where a patient lives"


_PATIENT_HOME = re.compile(r"\b(?:pt|patient|paciente|she|he|family|homeless|unhoused)\b.{0,40}"
                           r"\b(?:lives?|stays?|sleeps?|housed|home|vive|mora)\b"
                           r"|\b(?:apt|apartment|walk-?up|floor|duplex|trailer|shelter)\b", re.IGNORECASE)


def _lives_there(text: str, cue: re.Match) -> bool:
    return _said_of_a_patient(text[:cue.start()], cue.group().lower(), text)


# A numbered district of a city: "sống ở quận 8", "lives in district 7", "vit dans le 18e".
_DISTRICT = re.compile(r"\s*(?:(?:ở|o|in|en|em|dans)\s+)?(?:(?:quận|phường|district|distrito)\s+\d{1,2}\b"
                       r"|le\s+\d{1,2}e\b)", re.IGNORECASE)


def _patient_place(text: str, cue: re.Match) -> bool:
    if _DISTRICT.match(text, cue.end()):
        return True
    words = re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", text[cue.end():cue.end() + 80])[:8]
    return _place_at(words, loose=cue.group().split()[-1].lower() not in _NOUN_CUES) is not None


_NOUN_CUES = {"address", "city", "town", "residence", "hometown"}   # "IP address whitelisting"


def _place_at(words: list[str], loose: bool = False) -> str | None:
    """A place right after a residence cue ('lives in Roxbury', 'from over in Dorchester') or
    after a preposition further on ('lives in a trailer outside Tulare'). `loose`: the cue is
    a verb or a preposition, so a word no list knows right after it is a place too."""
    linked = True
    for i, word in enumerate(words):
        folded = fold(word)
        if folded in _LINKS and not word[0].isupper():
            linked = linked or folded in _PREPOSITIONS
            continue
        if linked:
            right_after = loose and all(fold(w) in _LINKS for w in words[:i])   # "from bed-stuy"
            place = _place_starting(words, i, right_after) or (right_after and (
                _unknown(word) and folded or _quarter(words, i)))
            if place:
                return place
        linked = False
    return None


_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
               "upper", "lower"}
_CONTINENTS = {"africa", "america", "americas", "asia", "europe", "oceania", "caribbean", "pacific",
               "atlantic", "coast", "side", "end"}


def _quarter(words: list[str], i: int) -> str | None:
    """A part of a town named by its direction, right after a residence cue ("lives in south
    philly", "from east st louis"); not a continent or a region ("from west africa")."""
    from bot.privacy.words import vocabulary
    if fold(words[i]) not in _DIRECTIONS or i + 1 >= len(words):
        return None
    nxt = fold(words[i + 1])
    if nxt in _CONTINENTS or nxt in gazetteer.regions() or nxt in gazetteer.common() or nxt in vocabulary():
        return None
    return f"{fold(words[i])} {nxt}"


def _place_starting(words: list[str], i: int, right_after: bool = False) -> str | None:
    """The place that starts at words[i]. `right_after` a residence verb, a place that is also
    a word counts in lower case too ("mora em campinas", "lives in flint"), unless the word is
    among the most common or clinical ("lives in hope", "reading")."""
    from bot.privacy.words import vocabulary
    only, also = gazetteer.places()
    for n in (3, 2, 1):
        chunk = words[i:i + n]
        if len(chunk) < n:
            continue
        phrase = " ".join(fold(w) for w in chunk)
        if phrase not in only and phrase.replace("-", "") in only:
            phrase = phrase.replace("-", "")   # Pétion-Ville is "Petionville" to GeoNames
        following = fold(words[i + n]) if i + n < len(words) else ""
        if n == 2 and fold(chunk[0]) == "little" and fold(chunk[1]) in gazetteer.regions():
            return phrase   # a neighbourhood: "little haiti", "little italy"
        if phrase in gazetteer.regions() or following in _FACILITY:
            continue
        capital = all(w[0].isupper() for w in chunk)
        the = i > 0 and fold(words[i - 1]) == "the"
        plain = phrase in also and (not right_after or phrase in gazetteer.common() or phrase in vocabulary())
        if (phrase in only or (the and f"the {phrase}" in only)) and (capital or not plain):
            return phrase
        if capital and n == 1 and not _ordinary_capital(chunk[0]):
            return phrase
    return None


def _unknown(word: str) -> bool:
    """A word no list knows, in a place's place ("from bed-stuy", "home is in anacostia"):
    a neighbourhood too small for the gazetteer, in lower case as staff type it."""
    from bot.privacy.words import UNKNOWN, sort_of, vocabulary
    folded = fold(word)
    return len(folded) > 4 and folded.replace("-", "").isalpha() and sort_of(folded) == UNKNOWN \
        and folded not in gazetteer.words() and folded not in vocabulary()


def _ordinary_capital(word: str) -> bool:
    """A capitalised word that is no place: a region, an acronym, or a very common word."""
    folded = fold(word)
    return folded in gazetteer.regions() or word.isupper() or folded in gazetteer.common()


def _said_of_a_patient(before: str, cue: str, text: str) -> bool:
    """Whose home it is: the patient's unless the speaker talks of their own life."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+(?:'[a-z]+)?", before)][-6:]
    patient, third, first = cues()["patient"], cues()["third_person"], cues()["first_person"]
    if words[-1:] and words[-1] in patient:
        return True   # "my patient lives in Hialeah"
    if any(w in first or w in _STAFF_SUBJECTS for w in words[-2:]):
        return False
    near = words[-5:]   # the last four, and the word before them
    if any(near[j] in patient or (near[j] in third and not (j and near[j - 1] in first))   # not "my mom"
           for j in range(max(0, len(near) - 4), len(near))):
        return True
    if cue == "from" or any(w in first for w in words[-4:]):
        return False
    staff = cues()["staff_life"]
    folded = [fold(w) for w in re.findall(r"[^\W\d_]+(?:'[a-z]+)?", text)]
    return not any(staff.starting_at(folded, i) for i in range(len(folded)))
