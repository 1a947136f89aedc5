"""A patient's initials: dotted ("K.T.", "J.W.O.", but not "M.D." or "a.m."), labelled
("Patient initials CK", "mr h"), or two or three letters before an age and sex or a date ("RS 67M",
"mj 45 yo f", "resus on JRT (22M)", "JB 5/17 clinic")."""

import re

from bot.privacy import gazetteer
from bot.privacy.words import Token, vocabulary

_CREDENTIALS = {"a.m.", "p.m.", "e.g.", "i.e.", "u.s.", "u.k.", "m.d.", "d.o.", "r.n.", "n.p.", "p.a.",
                "b.s.", "m.s.", "b.a.", "m.a.", "b.s.n.", "m.s.n.", "d.n.p.", "l.p.n.", "c.n.a.", "d.c.",
                "l.a.", "n.y.", "s.f.", "a.k.a.", "p.s.", "r.t.", "o.t.", "p.t.", "u.s.a.", "e.r.", "o.r.",
                "y.o.", "c.o.", "s.o.b.", "b.i.d.", "t.i.d.", "q.d.", "p.o.", "i.v.", "i.m."}
_AGE = re.compile(
    r"(?<![\w.'])(?P<ini>[A-Za-z]{2,3})(?![\w.'])[,:]?\s*\(?\s*(?:(?:nữ|nam)\s+)?"
    r"\d{1,3}\s*(?:(?:yo|y/o|y\.o\.?)\s*[mf]?|[mf]|wk|wks|mo|mos|m|d|tuổi)\b", re.IGNORECASE)
_DATE = re.compile(r"(?<![\w.'])(?P<ini>[A-Z]{2,3})(?![\w.'])\s+\d{1,2}/\d{1,2}(?![\d/])")
_LABEL = re.compile(
    r"\b(?:mr|mrs|ms|mx|sr|sra|srta|mme|mlle)\.?\s+[b-hj-wyz]\b(?![.'\w])"   # "mr h, 71yo" (mr x is no one)
    r"|\binitials?\b\W{0,3}(?:[A-Z]\.?){2,3}\b|\b(?:pt|patient|paciente|on)\s+(?:[A-Z]\.){2,3}"
    r"|(?<![\w.])[A-Z]\.[A-Z]'[A-Z]\b", re.IGNORECASE)


def initials(text: str, tokens: list[Token]) -> bool:
    """'K.T. 81F', 'JB 5/17 clinic', 'mj 45 yo f', 'resus on JRT (22M)', 'Patient initials CK'."""
    if any(re.fullmatch(r"(?:[^\W\d_]\.){2,3}", t.text) and t.text.lower() not in _CREDENTIALS
           for t in tokens):
        return True
    if _LABEL.search(text):
        return True
    for pattern in (_AGE, _DATE):
        for match in pattern.finditer(text):
            letters = match.group("ini")
            if letters.lower() not in vocabulary() and letters.lower() not in gazetteer.common():
                return True
    return False

