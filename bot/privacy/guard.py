"""The PHI guard: free text that looks like it names or identifies a patient is refused.

It errs on the side of refusing: a false refusal costs a rephrase, a false pass puts patient
data into a staff chat. The stages run in order on one normalised text, and each finding says
which stage made it, so `python -m bench.phi` can tell what each stage catches:
1. `normalise`: one spelling for spaced, spelled and defanged text;
2. `identifiers`: numbers, contacts and addresses recognisable by their form;
3. `dates` and `places`: dates, ages and places in a patient's context;
4. `people`: names and initials, with the colleague rule;
5. `ner` (optional): a named-entity model through Presidio, when the operator installed one.
What is refused is never logged or echoed.
"""

from dataclasses import dataclass

from bot.core.errors import PhiRefused
from bot.privacy import dates, identifiers, places
from bot.privacy import people as names
from bot.privacy.ner import EntityModel
from bot.privacy.normalise import normalise
from bot.privacy.words import tokens

# Touches every stage's lists: names, places, cue words, dates, phone metadata, web suffixes,
# Vietnamese syllables.
WARM_UP = ("pt Okafor in bed 4, adm 3/1, 93yoF, lives in Roxbury; her son Dmitri (+44 20 7946 0958,"
           " ana dot ruiz at gmail dot com) read acep.org/clinical-policies; bệnh nhân ở quận 8")


@dataclass(frozen=True)
class Finding:
    kind: str    # what was found, in words for the refusal: "a relative's name"
    stage: str   # which stage found it


class Guard:
    """The stages, with an optional named-entity model (`PRECEPTOR_PHI_NER`)."""

    def __init__(self, entities: EntityModel | None = None):
        self.entities = entities

    def findings(self, text: str, *, year: int | None = None, people: bool = True) -> list[Finding]:
        """What patient identifiers `text` seems to hold (empty when it is clean). `year` is
        this year, for birth years that make someone over 89 (without it, every birth year
        does). `people=False` skips the name rules, for a field that holds one's own name."""
        clean = normalise(text)
        words = tokens(clean)
        stages = [   # identifiers on the raw text too: normalising can never hide one
            ("identifiers", identifiers.findings(clean)),
            ("identifiers", identifiers.findings(text) if text != clean else ()),
            ("dates", dates.findings(clean, year, text)),
            ("places", places.findings(clean)),
        ]
        if people:
            stages.append(("people", names.findings(clean, words)))
        if people and self.entities:
            stages.append(("ner", names.judge_spans(words, self.entities.persons(clean))))
        found: list[Finding] = []
        for stage, kinds in stages:
            for kind in kinds:
                if all(f.kind != kind for f in found):
                    found.append(Finding(kind, stage))
        return found

    def warm(self) -> "Guard":
        """Read the word lists and suffix list now (about a second), not on someone's first text."""
        self.findings(WARM_UP, year=2026)
        return self

    def check(self, *texts: str | None, year: int, people: bool = True) -> None:
        """Raise `PhiRefused` if any of the texts looks like it holds patient information."""
        found: list[str] = []
        for text in texts:
            for finding in self.findings(text or "", year=year, people=people):
                if finding.kind not in found:
                    found.append(finding.kind)
        if found:
            raise PhiRefused(found)
