"""Stage 4 of the guard: people's names and initials, and the colleague rule that lets staff pass.

Staff have two reasons to name someone in a learning goal or a thank-you: a colleague, or a
patient and their family. So a name (`mentions`) is refused unless something says it is a
colleague's (`colleagues`) or not a person at all (`things`); next to a bed, a patient word or
a relative (`slots`) it is a patient's or a relative's whatever else is said.
"""

from collections.abc import Iterator

from bot.privacy import colleagues, slots, things
from bot.privacy.cues import cues
from bot.privacy.initials import initials
from bot.privacy.mentions import Mention, mentions, titled_at, words_after, words_before
from bot.privacy.words import MARK, NAME, UNKNOWN, WORDNAME, Token


def findings(text: str, tokens: list[Token]) -> Iterator[str]:
    """Patients', relatives' and unexplained names and initials in `tokens` of `text`."""
    if initials(text, tokens):
        yield "a patient's initials"
    if slots.named_patient(text):
        yield "a patient's name"
    if slots.named_relative(tokens):
        yield "a relative's name"
    for mention in mentions(tokens):
        kind = judge(tokens, mention)
        if kind:
            yield kind


def judge_spans(tokens: list[Token], spans: list[tuple[int, int]]) -> Iterator[str]:
    """Names a model found (character spans), judged by the same context rules. The model is
    trusted only for capitalised words no list knows ("Ochieng", "Kealoha"): on words the lists
    know it adds nothing, and it takes eponyms and brands for people."""
    for start, end in spans:
        inside = [i for i, t in enumerate(tokens) if start <= t.start < end and t.sort != MARK]
        if not inside:
            continue
        run = tokens[inside[0]:inside[-1] + 1]
        unknown = all(t.capitalised for t in run) and any(t.sort == UNKNOWN and t.rare for t in run)
        kind = judge(tokens, Mention(inside[0], inside[-1], strong=unknown, weak=True))
        if kind:
            yield kind


def judge(tokens: list[Token], mention: Mention) -> str | None:
    """The kind of name a mention is, or None when it is a colleague, a thing or too weak."""
    before = words_before(tokens, mention.first, 6)
    after = words_after(tokens, mention.last, 6)
    named = mention.weak or tokens[mention.first].sort in (NAME, WORDNAME)
    rare = tokens[mention.first].sort == UNKNOWN   # a word no list knows: a name in a name's place
    relative = slots.relative(before, after, directly=not named) if named or rare else None
    if relative is not None:
        return None if colleagues.own(before[relative:]) else "a relative's name"
    titled = titled_at(tokens, mention.first) and not colleagues.own(before[1:])
    if rare and titled and tokens[mention.last].possessive:
        return "a patient's name"   # "mr whitehorse's sacral ulcer"
    if rare and before[:1] == ["the"] and slots.household_after(after, people_only=True):
        return "a patient's name"   # "the ivanenko lady", "the szymanski kid"
    # Next to a bed, a name or a word that reads as one ("reyes in 12"), not a plain word ("bili of 18").
    # … or any name after a patient word ("pt price in trauma 2").
    bedded = mention.weak or tokens[mention.first].popular_name or (rare and titled) or (
        named and before[:1] and before[0] in cues()["patient"])
    if bedded and slots.near_a_bed(tokens, mention) or slots.bracketed(tokens, mention) or (
            mention.weak and slots.patient_slot(tokens, mention, before, after)):
        return "a patient's name"
    if rare and before[:1] and before[0] in slots.LITTLE:
        return "a patient's name"   # "little aiyana"
    titled = titled and named
    if colleagues.colleague(tokens, mention, before, after) or (
            not titled and things.thing(tokens, mention, before, after)):
        return None
    if titled:
        return "a patient's name"
    # "j. castellanos's cultures": an initial and a surname are a full name
    initialled = bool(before) and len(before[0]) == 1 and tokens[mention.first - 1].text == "."
    return "a name that could be a patient's" if mention.strong or (initialled and named) else None
