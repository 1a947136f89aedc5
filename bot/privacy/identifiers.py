"""Stage 2 of the guard: identifiers recognisable by their form, on the normalised text.

Record, account, insurance, licence, plate, device and national id numbers after a label in
English, Spanish, Portuguese or French ("MRN", "historia clínica nº", "prontuário", "DNI",
"NHS no"); long or grouped numbers with no label; phones of any country (`phonenumbers` for
those written with a country code); SSNs, cards (Luhn), IBANs, emails, handles, web and IP
addresses. Codes that staff quote for their work ("SNOMED 44054006", "NDC 0409-4888-02",
"CPT 99213", "0800-1200") are not identifiers.
"""

import re
from collections.abc import Iterator
from functools import cache

import phonenumbers

from bot.privacy import gazetteer
from bot.privacy.contacts import about_someone, patient_context, staff_contact

# What follows a label: one token ("45123987K", "12.345.678-5", "2BX941"), digit groups
# ("046 454 286"), or up to four letters then digits ("BBBB 1234 5678", "GHL 4412").
_ID = r"(?P<id>(?:[A-Za-z]{1,4}\s)?[A-Za-z0-9]+(?:(?:[./-]|\s(?=\d))[A-Za-z0-9]+)*)"
_ID_AFTER = r"(?:\s*(?:number|num|nbr|no\.?|n[º°o]\.?|nr\.?|#|id|is|was|es|:|=|-|\.|\"|'))*\s*"
_LABELS = {
    "a medical record number":
        r"mrn|mr#|medical record|med rec(?:ord)?|record|chart|fin|csn|encounter|enc|account#?|acct"
        r"|hosp(?:ital)?\s+(?:no|number|#)|unit record|patient\s*#|pt\s*#|historia(?:\s+cl[ií]nica)?"
        r"|expediente(?:\s+cl[ií]nico)?(?:\s+n[uú]mero)?"
        r"|prontu[aá]rio|registro|n[uú]mero de paciente|dossier|epic|cerner|mr(?=\s*[:#])",
    "an insurance number":
        r"member|subscriber|beneficiary|policy|medicare|medicaid|medi-cal|mbi|cin|insurance|insurer"
        r"|group\s+(?:no|number|#)|plan\s+(?:no|number|#)|philhealth|tarjeta sanitaria|seguro popular"
        r"|folio|afiliaci[oó]n|carte vitale|uhc|bcbs|aetna|cigna|humana|kaiser|tricare|ahcccs|masshealth",
    "an account or card number": r"account|acct|card|visa|mastercard|amex|iban|routing|claim",
    "a licence or plate number":
        r"licen[cs]e|dl|cdl|passport|pasaporte|passaporte|plates?|placa|matr[ií]cula|patente|tag"
        r"|immatriculation|plaque|kennzeichen"
        r"|vin|certificate|cert|veh(?:icle)?\s+reg(?:istration)?|state\s+id|id\s+card|green card"
        r"|reg(?=\s+(?:is|no|number|:))|rego|number\s+plate|registration",
    "a device serial number":
        r"serial|s/n|sn|udi|transmitter|device\s+id|imei|n[uú]mero de s[eé]rie|s[eé]rie",
    "a national id number":
        r"dni|nie|nif|sin|social insurance|aadhaa?r|rut|run|curp|rfc|cpf|rg|c[eé]dula|cc|pesel"
        r"|personnummer|s[eé]cu|s[eé]curit[eé] sociale|nir|nhs|chi|bsn|codice fiscale|national id"
        r"|itin|a-number|alien|nss|n[uú]mero de seguro social|seguro social|insee|id number"
        r"|ni\s+(?:number|no)|national insurance",
    "a social security number": r"ssn|ss#|ss|social|social security",
    "an identifying number":
        r"id|case|claim|badge|employee|emp|file|referral|reference|ref|confirmation|ticket|tracking"
        r"|usps|ups|fedex|dhl|gu[ií]a|rastreo|order(?!\s+sets?)|dcf|dss|cps|inmate|booking|armband"
        r"|wristband",
}
# Codes staff quote for their work, masked before any number is judged: "SNOMED mapping, like
# 44054006", "NDC 0409-4888-02", "LOINC 2160-0", "ICD-10 Z79.4", "order set v2.3", and the lot
# or batch of a supply ("QC lot 22-4419"), which a whole batch shares and so identifies no one.
_CODES = re.compile(
    r"\b(?:snomed(?:\s*ct)?|loinc|cpt|hcpcs|ndc|rxnorm|rxcui|drg|order\s+sets?|version|isbn|doi|pmid"
    r"|nct|pubmed)\b[^\d\n]{0,25}?(?:[A-Z]{1,4}-?)?\d[\w.-]*"
    r"|\b(?:lot|lote|batch|seal)\s*(?:#|no\.?|number|:)?\s*(?=[\w-]*\d)[A-Z0-9][\w-]*"
    r"|\bicd(?:-?1[01])?(?:-cm)?\b[^\d\n]{0,25}?\b(?-i:[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\b", re.IGNORECASE)
# Devices and plates carry few digits ("8GM4AB", "GHL 4412"); other numbers at least four.
_LABELLED = [(kind, re.compile(rf"(?<![\w-])(?:{label})(?![\w-]){_ID_AFTER}{_ID}", re.IGNORECASE),
              2 if kind.startswith(("a device", "a licence")) else 4) for kind, label in _LABELS.items()]
# A plate a few words after its label ("la placa del hijo del paciente es ABC-12-34", "vanity
# plate is GRNDPA1"): letters and digits mixed, in capitals.
_PLATE_LATER = re.compile(
    r"\b(?i:plates?|placa|matr[ií]cula|patente|immatriculation|tag)\b(?:\s+[\w'.:,]+){0,8}?[\s:]+"
    r"(?P<id>(?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){1,3})\b")
_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    ("an identifying number", re.compile(r"(?<![\w&])#\s?\d[\d\s-]{3,}\d")),   # pt #7731-2204
    ("a social security number", re.compile(r"(?<![\d-])\d{3}([\s-])\d{2}\1\d{4}(?![\d-])")),
    ("an insurance number", re.compile(r"\b\d[A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b")),  # MBI
    ("an account or card number", re.compile(   # IBAN
        r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")),
    ("a device serial number", re.compile(r"\(01\)\s?\d{14}")),   # a GS1 device identifier
    ("an identifying number", re.compile(   # letters and five or more digits: XJH123456789
        r"\b(?!\d+(?:units?|u|iu|mg|mcg|ml|k|cc|kg|g|mm|cm|ms|am|pm|th|st|nd|rd|s)\b)"
        r"(?=[A-Za-z-]*\d(?:[A-Za-z-]*\d){4})(?=[\d-]*[A-Za-z])[A-Za-z0-9][\w-]{5,}\b", re.IGNORECASE)),
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("an email address", re.compile(
        r"(?<![\w.+-])[\w.+-]+\s?(?:@|\bat\b|\barroba\b)\s?(?:gmail|yahoo|hotmail|outlook|aol|icloud|protonmail"
        r"|proton|live|msn|comcast|verizon|sbcglobal|bellsouth|att|gmx|yandex|qq|bol|uol|terra"
        r"|prodigy|rediffmail|mail\.ru)\b", re.IGNORECASE)),
    ("a social media handle", re.compile(
        r"\b(?:ig|insta(?:gram)?|tiktok|tik tok|twitter|x|snap(?:chat)?|sc|fb|facebook|threads"
        r"|venmo|cash\s?app|paypal|zelle|discord|telegram|whatsapp|linkedin|youtube|twitch|onlyfans"
        r"|handle|@)\b.{0,25}?(?:@[\w.-]{2,}|\$[A-Za-z][\w-]{2,}|[\w.]{2,}#\d{3,}|/[A-Za-z][\w.-]{3,}"
        r"|\b[a-z]+[._][\w.]+\b|\b[a-z]+\d{2,}\b)", re.IGNORECASE)),
    ("a social media handle", re.compile(r"(?<![\w$])\$[A-Za-z][\w-]*\d[\w-]*")),   # $TinaG1988
    ("a social media handle", re.compile(                       # "@lil_dre_305 on insta", "u/copd_77"
        r"@[\w.]*[_\d][\w.]*\s+(?:on|in)\s+(?:ig|insta(?:gram)?|tiktok|twitter|x|snap(?:chat)?|threads|fb)\b"
        r"|(?<![\w/])u/[\w-]{3,}|\b(?:twitch|reddit|youtube|tiktok|insta(?:gram)?|snap(?:chat)?)\s+(?:is|:)\s+\S{4,}",
        re.IGNORECASE)),
    ("an IP address", re.compile(
        r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")),
    ("an IP address", re.compile(r"\b(?:10|172|192|169)\s(?:\d{1,3}\s){2}\d{1,3}\b")),
    ("an IP address", re.compile(
        r"(?<![\w:])(?=[\w:]*(?:::|[a-f]))(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{1,4}(?![\w:])", re.IGNORECASE)),
    ("a phone number", re.compile(
        r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]?\d{2}\s?\d{2}(?![\w-])")),
    ("a phone number", re.compile(
        r"\b(?:phone|cell|mobile|tel|t[eé]l[eé]?fono|tel[eé]fono|celular|cel|fax|pager|number|n[uú]mero"
        r"|numero|#|call|text|reach|hmu|whatsapp|contact[oa]?|ext|ph)\b\D{0,15}(?<!\d)\d(?:[\s.-]?\d){6,11}\b",
        re.IGNORECASE)),
    ("a phone number", re.compile(r"\b0\d{1,4}(?:[\s.-]\d{2,4}){2,4}\b")),   # 06 12 34 56 78, 0917 123 4567
    ("a phone number", re.compile(r"(?<![\w-])\+\d{1,3}(?:[\s.-]?\d{2,4}){3,5}(?![\w-])")),
]
# What a unit, an office or a device of the hospital may own ("the pharmacy line x4-2210").
_STAFF_KINDS = {"a phone number", "an identifying number", "an IP address", "an email address",
                "a social media handle"}
_WORDED_KINDS = {"an email address", "a social media handle", "an IP address"}   # some need no digit
# A toll-free number is an organisation's: "poison control 1-800-222-1222" (unless the text is
# about a patient: "call the caregiver at 1-800-555-0199 ext. 4412").
_TOLL_FREE = re.compile(r"(?:\+?1[\s.-]?)?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]?\d{3}[\s.-]?\d{4}$")
# A long or grouped number with no label: record numbers, tracking numbers, ids.
_LONG_NUMBER = re.compile(r"(?<![\w.,/-])\d(?:[\s.-]?\d){6,}(?![\w/])")
_RANGE_BEFORE = re.compile(r"\b\d{1,2}/\d{1,2}-$")   # "vacation 12/20-1/2"
_TIME_RANGE = re.compile(r"^(?:[01]\d|2[0-3])[0-5]\d-(?:[01]\d|2[0-3])[0-5]\d$")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\b(?:[\w-]+\.)+(?:com|org|net|edu|gov|io|us|health"
                  r"|ly|gl|ee|be|co|me|gd|cc|at|ru|br|mx|es|uk|ca)\b(?:/\S*)?", re.IGNORECASE)
# Web addresses that lead to a person: short links, profiles, fundraisers, journals, shared files.
_PERSONAL_HOSTS = re.compile(
    r"(?:^|\.)(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly"
    r"|shorturl\.at|tiny\.cc|lnkd\.in|rb\.gy|youtu\.be|linktr\.ee|facebook\.com|fb\.com|fb\.me"
    r"|instagram\.com|tiktok\.com|twitter\.com|x\.com|linkedin\.com|youtube\.com|gofundme\.com"
    r"|caringbridge\.org|legacy\.com|venmo\.com|cash\.app|paypal\.me|dropbox\.com|drive\.google\.com"
    r"|docs\.google\.com|onedrive\.live\.com|icloud\.com|wetransfer\.com|zoom\.us|mychart\S*"
    r"|spotify\.com|snapchat\.com|threads\.net|discord\.gg|wa\.me|t\.me|blogspot\.com|wordpress\.com"
    r"|medium\.com|substack\.com|tumblr\.com|weebly\.com|wixsite\.com|squarespace\.com)$", re.IGNORECASE)


def findings(text: str) -> Iterator[str]:
    """The kinds of identifier `text` (already normalised) holds, in the order found. A number
    that a label names ("SIN 046 454 286") is reported as that kind alone."""
    if any(c.isdigit() for c in text):
        yield from _numbered(_CODES.sub(" code ", text))
    else:   # four texts in ten: only e-mail addresses and handles can be there
        yield from (kind for kind, pattern in _CHECKS if kind in _WORDED_KINDS and any(
            not _theirs(text, kind, m) for m in pattern.finditer(text)))
    if any(_leads_to_a_person(m.group(), about_someone(text)) for m in _URL.finditer(text)):
        yield "a web address"


def _numbered(text: str) -> Iterator[str]:
    labelled = []
    for kind, pattern, digits in _LABELLED:
        match = pattern.search(text)
        while match:   # overlapping, so "uhc member id 9124…" is tried from "member" too
            if sum(c.isdigit() for c in match.group("id")) >= digits:
                labelled.append(match.span("id"))
                yield kind
                break
            match = pattern.search(text, match.start() + 1)
    plate = next((m for m in _PLATE_LATER.finditer(text) if len(m.group("id").replace(" ", "")) >= 5), None)
    if plate:
        labelled.append(plate.span("id"))
        yield "a licence or plate number"
    inside = lambda m: any(a <= m.start() and m.end() <= b for a, b in labelled)  # noqa: E731
    theirs = lambda kind, m: _theirs(text, kind, m)  # noqa: E731
    for kind, pattern in _CHECKS:
        if any(not inside(m) and not theirs(kind, m) for m in pattern.finditer(text)):
            yield kind
    if any(_is_long_number(text, m) and not inside(m) and not theirs("an identifying number", m)
           for m in _LONG_NUMBER.finditer(text)):
        yield "an identifying number"
    if _card_number(text):
        yield "an account or card number"
    if any(not theirs("a phone number", m) for m in _international_phones(text)):
        yield "a phone number"


def _theirs(text: str, kind: str, match: re.Match) -> bool:
    """Whether a match is a unit's or an office's (`contacts`), or a toll-free number."""
    return kind in _STAFF_KINDS and (staff_contact(text, match.start()) or (
        _TOLL_FREE.match(match.group()) is not None and not patient_context(text)))


def _is_long_number(text: str, match: re.Match) -> bool:
    number = match.group()
    if _TIME_RANGE.match(number) or re.fullmatch(r"\d{1,3}(?:,\d{3})+", number):
        return False
    if re.fullmatch(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])", number):
        return False   # a date: the dates stage tells a patient's from a deadline
    return not _RANGE_BEFORE.search(text[:match.start()])


def _card_number(text: str) -> bool:
    """13 to 19 digits, spaced or not, that pass the Luhn check card numbers carry."""
    for match in re.finditer(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", text):
        digits = [int(d) for d in re.sub(r"\D", "", match.group())]
        odd = sum(digits[-1::-2])
        even = sum(sum(divmod(2 * d, 10)) for d in digits[-2::-2])
        if (odd + even) % 10 == 0:
            return True
    return False


def _international_phones(text: str) -> list[re.Match]:
    """Numbers in international form libphonenumber finds, as matches of the text."""
    if "+" not in text:
        return []
    matches = phonenumbers.PhoneNumberMatcher(text, None, leniency=phonenumbers.Leniency.POSSIBLE)
    found = (re.compile(re.escape(m.raw_string)).search(text, m.start) for m in matches)
    return [m for m in found if m is not None]


def _leads_to_a_person(url: str, strict: bool) -> bool:
    """A society's or a guideline's site passes ("acep.org/clinical-policies", "cpr.heart.org",
    "nice.org.uk"); a short link, a profile, a file share, or a subdomain or path with a name, a
    number or "my" does not ("annabelles-fight.blogspot.com", "example.com/my-cancer-diary")."""
    address = re.sub(r"^(?:https?|ftp)://", "", url.rstrip(".,;:!?)"), flags=re.IGNORECASE)
    host, _, path = address.partition("/")
    host = host.lower()
    if re.fullmatch(r"[\d.]+(?::\d+)?", host) or _PERSONAL_HOSTS.search(host):
        return True
    if re.search(r"\d{3,}|[?&]\w+=|@|~", path):
        return True
    if re.search(r"(?:^|\.)(?:gov|mil|int|nhs\.uk|gov\.[a-z]{2}|gob\.[a-z]{2}|gc\.ca)$", host):
        return False   # a government's or an agency's page ("cdc.gov/vaccines/hcp/acip-recs")
    subdomain = _domains()(host).subdomain
    pieces = re.split(r"[/_.#-]+", f"{subdomain}/{path}".lower())
    return any(not _ordinary(piece, strict) for piece in pieces if piece and piece != "www")


@cache
def _domains():
    """The public suffix list as tldextract ships it (never fetched: no network at run time)."""
    import tldextract
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _ordinary(piece: str, strict: bool) -> bool:
    """A word of a web address that names no one. Jargon no list knows ("ibcc", "ncbi") is
    ordinary unless `strict`: the text is about a patient, whose page may run a name on ("annasjourney")."""
    from bot.privacy.words import NAME, UNKNOWN, WORDNAME, sort_of, vocabulary
    if piece in ("my", "mi", "our", "meu", "minha") or len(piece) == 1:
        return False
    sort = sort_of(piece)
    return piece.isdigit() or piece in vocabulary() or (
        sort not in (NAME, WORDNAME) and (piece in gazetteer.words() or (sort == UNKNOWN and not strict)))
