"""Stage 1 of the guard: one canonical spelling of the text, so later stages see through disguise.

Staff write numbers spaced ("m r n 5 5 2 0 9 1 3"), spelled out ("seven one seven, five five
five…", "ninety-one", "noventa y dos") or with letters for digits ("555 O192"), and addresses
defanged ("ana dot ruiz at gmail dot com", "10[.]4[.]22[.]118"). Normalisation only joins and
translates; it never drops a character that could carry an identifier, so whatever a pattern
finds in the raw text it finds here too (a property test holds it to that).
"""

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_PUNCTUATION = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
                              "‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "＠": "@"})
_DEFANGED = [
    (re.compile(r"\s*[\[({]\s*(?:\.|dot|punto|ponto|point)\s*[\])}]\s*", re.IGNORECASE), "."),
    (re.compile(r"\s*[\[({]\s*(?:@|at|arroba)\s*[\])}]\s*", re.IGNORECASE), "@"),
    (re.compile(r"\bhxxp(s?)\b", re.IGNORECASE), r"http\1"),
    (re.compile(r"\[:\]"), ":"),
]
_TLD = (r"(?:com|org|net|edu|gov|mil|int|info|biz|io|co|me|us|uk|ca|mx|es|ar|cl|pe|br|pt|fr|de|it"
        r"|nl|ru|ph|in|ng|za|au|nz|ie|jp|cn|kr)")
_JOIN = r"\s*(?:\.|\bdot\b|\bpunto\b|\bponto\b|\bpoint\b)\s*"
# A spelled-out address: words joined by "dot"/"underscore", then "at"/"arroba", then a host.
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.@])([\w+-]+(?:(?:{_JOIN}|\s*(?:\bunderscore\b|_)\s*)[\w+-]+)*)"
    rf"\s*(?:@|\bat\b|\barroba\b)\s*([a-z][\w-]*(?:{_JOIN}{_TLD}\b)+)", re.IGNORECASE)
# A spelled-out web address: "caringbridge dot org slash visit slash rosemarieduval".
_SPOKEN_DOT = r"\s+(?:dot|punto|ponto|point)\s+"
_SPELLED_URL = re.compile(rf"\b[a-z][\w-]*(?:{_SPOKEN_DOT}[\w-]+)*?{_SPOKEN_DOT}{_TLD}\b"
                          rf"(?:\s+(?:slash|barra)\s+[\w.-]+)*", re.IGNORECASE)
# A dash between words is an aside ("the dtr—pam—says"), not a hyphen.
_ASIDE = re.compile(r"(?<=[^\W\d_])\s*[—―]\s*(?=[^\W\d_])")

_UNITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "cero": 0, "uno": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4,
          "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "dois": 2, "três": 3,
          "quatro": 4, "sete": 7, "oito": 8, "nove": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "diez": 10, "doce": 12,
          "trece": 13, "catorce": 14, "quince": 15}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
         "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "hundred": 100, "cien": 100}
_VALUES = {**_UNITS, **_TEENS, **_TENS}
_NUMBER_WORD = "|".join(sorted(_VALUES, key=len, reverse=True))
# "ninety-one", "ninety one", "noventa y dos", "a hundred and one": one number.
_COMPOUND = re.compile(rf"\b(?:a\s+)?({'|'.join(_TENS)})(?![\s-]+(?:first|second|third|fourth|fifth|sixth"
                       rf"|seventh|eighth|ninth)\b)(?:(?:[\s-]+(?:and|y)\s+|[\s-]+)"
                       rf"({'|'.join(k for k in _UNITS if k not in ('oh', 'zero', 'cero'))}))?\b",
                       re.IGNORECASE)
# A run of three or more numbers, spelled or not, at least one of them spelled.
_ITEM = rf"(?:\b(?:{_NUMBER_WORD})\b|(?<![\w.,/:-])\d+(?![\w]|[.,/:-]\d))"
_SEP = r"(?:\s*,\s*|\s*-\s*|\s+(?:dash|guion|guión|dot|punto)\s+|\s+)"
_RUN = re.compile(rf"{_ITEM}(?:{_SEP}{_ITEM}){{2,}}", re.IGNORECASE)
# Single characters in a row: "5 5 2 0", "3 1 2 - 6 6 - 0 1 9 8", "2 B X 9 4 1".
_SINGLES = re.compile(r"(?<![\w.-])[A-Za-z0-9](?:(?:\s?-\s?|\s\.\s|[ ])[A-Za-z0-9](?![\w.])){3,}")
# Digit groups with spaced or spelled dots: "312 dot 555 dot 0177", "28 . 441 . 902", "10 . 0 . 4 . 77".
_DOT = r"(?:\.|dot|punto|ponto|point)"
_DOTTED = re.compile(rf"(?<![\w.])\d{{1,4}}(?:(?:\s+{_DOT}\s+|\s?\.\s?)\d{{1,4}}){{2,}}(?![\w])",
                     re.IGNORECASE)
_LETTERS = re.compile(r"(?<![\w./])[A-Za-z](?:[ ][A-Za-z](?![\w./])){2,}")   # not "y/o M w/"
# A date written with spaces around its separators: "07 / 11 / 1979", "11 - 02 - 89".
_SPACED_DATE = re.compile(r"(?<![\d/.-])\d{1,2}\s*([/.-])\s*\d{1,2}\s*\1\s*(?:\d{4}|\d{2})(?![\d/.-])")
_LOOKALIKE_TOKEN = re.compile(r"(?<![\w])(?=[\dOoIl]*\d[\dOoIl]*\d[\dOoIl]*\d)[\dOoIl]{4,}(?![\w])")
_LOOKALIKES = str.maketrans("OoIl", "0011")


def normalise(text: str) -> str:
    """The text with Unicode, separators, spelled and spaced numbers put in one canonical form."""
    text = _ASIDE.sub(", ", unicodedata.normalize("NFKC", text)).translate(_INVISIBLE).translate(_PUNCTUATION)
    for pattern, replacement in _DEFANGED:
        text = pattern.sub(replacement, text)
    text = _SPELLED_EMAIL.sub(_join_email, text)
    text = _SPELLED_URL.sub(lambda m: re.sub(_SPOKEN_DOT, ".", re.sub(
        r"\s+(?:slash|barra)\s+", "/", m.group(), flags=re.IGNORECASE), flags=re.IGNORECASE), text)
    text = _COMPOUND.sub(_compound, text)
    text = _RUN.sub(_join_run, text)
    text = _LOOKALIKE_TOKEN.sub(lambda m: m.group().translate(_LOOKALIKES), text)
    text = _SINGLES.sub(_join_singles, text)
    text = _DOTTED.sub(lambda m: re.sub(rf"\s*{_DOT}\s*", ".", m.group(), flags=re.IGNORECASE), text)
    text = _SPACED_DATE.sub(lambda m: re.sub(r"\s+", "", m.group()), text)
    return _LETTERS.sub(lambda m: m.group().replace(" ", ""), text)


def _join_email(match: re.Match) -> str:
    spelled = re.search(r"\b(?:dot|punto|ponto|point|underscore)\b", match.group(), re.IGNORECASE)
    if not spelled and "@" not in match.group() and not re.search(r"[\d_.]", match.group(1)):
        return match.group()   # "the report at goldcopd.org" is a web site, not an address
    local = re.sub(_JOIN, ".", match.group(1), flags=re.IGNORECASE)
    local = re.sub(r"\s*(?:\bunderscore\b|_)\s*", "_", local, flags=re.IGNORECASE)
    host = re.sub(_JOIN, ".", match.group(2), flags=re.IGNORECASE)
    return f"{local.replace(' ', '')}@{host.replace(' ', '')}"


def _compound(match: re.Match) -> str:
    tens, unit = match.group(1).lower(), match.group(2)
    return str(_TENS[tens] + (_UNITS[unit.lower()] if unit else 0))


def _join_run(match: re.Match) -> str:
    """'seven one seven, five five five' -> '717 555'; 'six oh two dash eighteen' -> '602-18'."""
    pieces = re.split(f"({_SEP})", match.group(), flags=re.IGNORECASE)
    if all(p.isdigit() for p in pieces[::2]):
        return match.group()
    digits = [p if p.isdigit() else str(_VALUES[p.lower()]) for p in pieces[::2]]
    out = [digits[0]]
    for sep, before, after in zip(pieces[1::2], digits[:-1], digits[1:], strict=True):
        word = sep.strip().lower()
        if word in ("dash", "guion", "guión") or (word == "-" and not (len(before) == len(after) == 1)):
            out.append("-")
        elif word in ("dot", "punto"):
            out.append(".")
        elif word == "," or not (len(before) == 1 and len(after) == 1):
            out.append(" ")
        out.append(after)
    return "".join(out)


def _join_singles(match: re.Match) -> str:
    """'5 5 2 0' -> '5520', 'm r n 5 5 2' -> 'mrn 552', '3 1 2 - 6 6' -> '312-66',
    '9 1 7 . 5 5 5' -> '917.555'."""
    text = re.sub(r"\s\.\s", ".", re.sub(r"\s?-\s?", "-", match.group()))
    head = re.match(r"[A-Za-z](?: [A-Za-z])+ (?=\d)", text)
    if head:
        return head.group().replace(" ", "") + " " + text[head.end():].replace(" ", "")
    return text.replace(" ", "")
