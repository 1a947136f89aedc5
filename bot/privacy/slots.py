"""Where a name is a patient's or a relative's whatever else is said: next to a relative ("his
wife Rosalind"), a bed ("bed 4 okafor", "reyes in 12"), a patient word ("pt greta"), "name
was", "baby boy", or a household noun ("the Moreau kid")."""

import re

from bot.privacy import gazetteer
from bot.privacy.colleagues import UNITS, own
from bot.privacy.cues import cues
from bot.privacy.mentions import PARTICLES, Mention
from bot.privacy.words import MARK, NAME, NUMBER, UNKNOWN, Token

LINKS = {"is", "was", "named", "called", "es", "se", "llama", "si", "ni", "niya", "dela", "dele",
         "the", "a", "w", "our", "su", "sus", "ten"}   # "ten": Vietnamese "tên", named
_AT_A_BED = {"in", "en", "sa", "do", "no", "na", "el", "la", "the", "burn", "trauma", "resus", "triage",
             "hallway", "icu", "micu", "sicu", "nicu", "picu", "ccu", "peds", "tele"}
_DURATIONS = {"days", "day", "nights", "night", "weeks", "wks", "months", "years", "yrs", "hours", "hrs",
              "times", "mins", "minutes", "am", "pm"}
# A room: up to three digits and a letter ("12", "14b"), or four that are no year and no time.
_ROOM = re.compile(r"(?:\d{1,3}[a-d]?|(?!19|20|[01]\d[0-5]\d|2[0-3][0-5]\d)\d{4})$", re.IGNORECASE)
_APPOSITION = {"she", "he", "she's", "he's", "shes", "hes", "llama", "se", "called", "named", "goes",
               "by", "paciente", "pt", "patient", "del", "de", "of"}
_NAMING = {"is", "was", "es", "era", "literally", "actually", ":", "'s", "s"}
LITTLE = {"baby", "bebe", "infant", "little", "lil", "peque", "pequeno", "pequena"}
_CALLED_ON = {"code", "rapid", "rrt", "response", "alert", "arrest", "stemi", "trauma"}
_OF_THE_PATIENT = {"do", "da", "du", "de", "del", "la", "le", "el", "of", "the", "patient", "paciente",
                   "pt", "pt's", "patient's", "patiente", "pasyente", "cua", "benh", "nhan", "bn"}
_NAMED = {"named", "called", "llamado", "llamada", "chamado", "chamada", "ten"}
_NOT_A_PERSON = {"case", "family", "household", "clan"}   # "the takotsubo case" may be an eponym
_NOT_PEOPLE = {"mannequin", "manikin", "dummy", "sim", "dog", "cat", "pet", "robot", "car", "unit", "team"}
_PATIENT_AFTER = (["the", "pt"], ["our", "pt"], ["el", "paciente"], ["la", "paciente"], ["the", "patient"])


def relative(before: list[str], after: list[str], directly: bool = False) -> int | None:
    """'his wife Rosalind', 'pt's son (Dmitri)', 'mom is jolene', 'Gregory Tan (son)', 'the pt's
    dad, viliami', 'his daughter, Dr. Anita Rao': where in `before` the words owning the
    relative start (len(before) when none), or None. `directly`: nothing but a link between."""
    c = cues()
    if after[:1] in (["("], [","]) and after[1:2] and after[1] in c["relatives"]:
        return len(before)
    between = LINKS | {"name", "names", "nombre", "'s", "el", "la", "o", "joven"} | (
        set() if directly else _APPOSITION)
    skipped = 0
    while skipped < len(before) and (before[skipped] in between or (
            before[skipped] not in c["relatives"] and (before[skipped] in c["titles"] or (
                not directly and before[skipped] in c["colleague_titles"])))):
        skipped += 1   # "her uncle, mr. oyelaran", "his daughter, Dr. Anita Rao"
    words = before[skipped:]
    n = c["relatives"].ending_at(list(reversed(words)), len(words) - 1) if words else 0
    if not n:
        return None
    owner = skipped + n
    if words[0] in c["colleague_titles"] and not any(w in c["possessives"] for w in before[owner:owner + 2]):
        return None   # "Sister Bernadette", "Father Mike", "brother Tom"
    return owner


def patient_slot(tokens: list[Token], mention: Mention, before: list[str], after: list[str]) -> bool:
    c = cues()
    named = before
    while named[:1] and named[0] in PARTICLES:
        named = named[1:]   # "bệnh nhân lê văn tám", "the pt van der berg"
    first, second = (named + ["", ""])[:2]
    nearest = list(reversed(named[:3]))
    if first in c["patient"] or (second in c["patient"] and first in LINKS) or (
            nearest and c["patient"].ending_at(nearest, len(nearest) - 1)):
        return True   # "pt greta", "the pt is okafor", "bệnh nhân trần thị bích"
    if first in ("on", "for") and second in _CALLED_ON:
        return True   # "the code on tomás hernández", "rapid on okafor"
    named_at = next((i for i, w in enumerate(before[:4]) if w in ("name", "nombre")), None)
    if named_at is not None and all(w in _NAMING for w in before[:named_at]):
        # "her name was Celestine" (after a patient word any words: `named_patient`); not
        # one's own, nor a mannequin's or a pet's
        owner = before[named_at + 1:named_at + 2]
        return not own(before[named_at + 1:]) and not (owner and owner[0] in _NOT_PEOPLE)
    if first in LITTLE and not _a_place(tokens, mention):
        return True
    if second == "baby" and first in ("boy", "girl"):
        return True
    if household_after(after):
        return True
    words = [w for w in after if w not in ("(", ",")]
    if mention.strong and tokens[mention.last].possessive and words[:1] and words[0] in c["patient_things"]:
        return True
    return after[:1] == [","] and after[1:3] in _PATIENT_AFTER   # "(the pt)": `bracketed`


def household_after(after: list[str], people_only: bool = False) -> bool:
    """'the Moreau kid', 'jean-baptiste lamothe, the haitian gentleman in 8' (not 'marcus, the
    float pool guy': a unit or a role in between makes them staff). `people_only`: not 'case'."""
    c = cues()
    words = [w for w in after if w not in ("(", ",")]
    if not words:
        return False
    household = lambda w: w in c["households"] and not (people_only and w in _NOT_A_PERSON)  # noqa: E731
    if household(words[0]):
        return True
    if after[:2] != [",", "the"]:
        return False
    for word in words[1:3]:
        if word in c["departments"] or word in c["colleague_titles"] or word in UNITS:
            return False
        if household(word):
            return True
    return False


def _a_place(tokens: list[Token], mention: Mention) -> bool:
    """'grew up in little haiti': a place, unless the word is a popular name ('little mateo')."""
    name = " ".join(t.base for t in tokens[mention.first:mention.last + 1])
    return name in gazetteer.regions() or (name in gazetteer.places()[0]
                                          and not tokens[mention.first].likely_name)


def near_a_bed(tokens: list[Token], mention: Mention) -> bool:
    """'bed 4 okafor', 'bed 2 is Ferreira', 'reyes in 12', 'Iwu in burn rm 3', 'X (cama 3)'."""
    beds = cues()["beds"]
    before = [t for t in tokens[max(0, mention.first - 4):mention.first] if t.sort != MARK]
    if before[-1:] and before[-1].base in ("is", "es"):
        before = before[:-1]
    if len(before) >= 2 and before[-1].sort == NUMBER and before[-2].base in beds:
        return True
    after = []
    for token in tokens[mention.last + 1:mention.last + 6]:
        if token.text == ",":
            break   # "lap chole, pod 1": what follows a comma is another thing
        if token.sort != MARK:
            after.append(token)
    for i, token in enumerate(after[:4]):
        if token.sort == NUMBER:   # "in micu 12", not "in icu 4 nights"
            return bool(_ROOM.match(token.text)) and i > 0 and not (
                i + 1 < len(after) and after[i + 1].base in _DURATIONS)
        if token.base not in beds and token.base not in _AT_A_BED:
            return False
    return False


def bracketed(tokens: list[Token], mention: Mention) -> bool:
    """'hall (bed 11, copd)', 'kim ji-woo (pt, 6B)', 'dos santos (paciente)', 'X (the pt)': a bed
    or a patient word in brackets names whoever is before it."""
    after = tokens[mention.last + 1:mention.last + 4]
    if len(after) < 2 or after[0].text != "(":
        return False
    c = cues()
    if after[1].base in c["patient"] or (len(after) == 3 and after[1].base in ("the", "our", "el", "la")
                                         and after[2].base in c["patient"]):
        return True
    return len(after) == 3 and after[1].base in c["beds"] and after[2].sort == NUMBER


_NAME_GIVEN = re.compile(
    r"\b(?:pt|pts|pt's|patient|patient's|paciente|pte)\s*(?:'s\s+)?(?:full\s+)?(?:name|nombre|nome)"
    r"\s*(?:is|was|es|era|é|:)\s*(?:literally\s+|actually\s+)?(?!(?:not|unknown|withheld|redacted|the|a|an|on|in)\b)"
    r"[^\W\d_]{2,}", re.IGNORECASE)


def named_patient(text: str) -> bool:
    """'patient name is page wilson', 'pt name is literally frank hope': whatever the words."""
    return _NAME_GIVEN.search(text) is not None


def named_relative(tokens: list[Token]) -> bool:
    """A relative's name in brackets, between commas or after "named", whatever the word
    ("pt's mom (hope)", "the grandson, will, translated", "the baby's dad is named hamid")."""
    c = cues()
    words = [t for t in tokens if t.sort != MARK or t.text in "(),"]
    bases = [t.base for t in words]
    for i in range(len(words) - 2):
        n = c["relatives"].starting_at(bases, i)
        if not n or (i and bases[i - 1] in c["first_person"]):
            continue   # "my husband (Dev)" is the speaker's
        after = i + n
        while after < len(words) and after - i <= 3 and words[after].base in _OF_THE_PATIENT:
            after += 1   # "o filho do paciente, rodrigo", "le fils du patient, olivier"
        rest = words[after:after + 4]
        if len(rest) > 2 and rest[0].text in "(," and _a_name(rest[1]) and rest[2].text in "),":
            return True   # "pt's mom (hope)", "the grandson, will, translated"
        at = next((j for j, t in enumerate(rest[:3]) if t.base in _NAMED), None)
        if at is not None and at + 1 < len(rest) and rest[at + 1].base in ("is", "es", "la"):
            at += 1   # "named is", "tên là thảo"
        if at is not None and at + 1 < len(rest) and _a_name(rest[at + 1]):
            return True
    return False


def _a_name(token: Token) -> bool:
    """A word that may be a name where one is expected: a name, a popular one that is also a
    word ("hope", "will"), or a word no list knows."""
    return len(token.base) > 2 and token.base.isalpha() and (
        token.sort in (NAME, UNKNOWN) or token.base in gazetteer.likely_names()[0])
