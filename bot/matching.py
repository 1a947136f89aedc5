"""Who could mentor this person on this aspect: a first ranking, behind one function.

`suggest` is the only entry point the use cases call, so the organic engine (familiarity,
track record, enthusiasm) can replace the scoring without touching them. Every term that
adds to a score also adds a reason a person can read; nobody sees a raw number.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import and_, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import DECLINE_MEMORY_DAYS, ROLE_TRACK, Status
from storage.models import Expertise, IntroAsk, Member, Mentorship
from storage.queries import LIVE, live_mentee_counts

# The weights, in one place. Declared expertise is the entry ticket; the rest orders.
WEIGHTS = {
    "expertise": 3.0,  # said they can mentor this aspect
    "specialty": 2.0,  # same specialty (or department)
    "role_track": 1.0,  # same ladder: physician, nursing, pharmacy, PA
    "site": 1.0,  # same site: easier to meet for coffee
    "experience": 1.0,  # 2–15 years further along: close enough to remember, far enough to guide
    "capacity": 0.5,  # per free mentee slot
    "different_view": 1.5,  # for another perspective: unlike the current mentor(s)
}
EXPERIENCE_BAND = (2, 15)


@dataclass(frozen=True)
class Suggestion:
    mentor: Member
    score: float
    terms: tuple[tuple[str, str], ...]  # (weight name, reason in words)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(reason for _, reason in self.terms)


async def suggest(
    session: AsyncSession, *, mentee: Member, aspect_id: int, aspect_name: str, now: datetime,
    limit: int = 3, another_perspective: bool = False,
) -> list[Suggestion]:
    """Up to `limit` mentors for `mentee` on the aspect, best first, each with reasons."""
    candidates = await _eligible(session, mentee=mentee, aspect_id=aspect_id, now=now)
    current = await _current_mentors(session, mentee_id=mentee.id, aspect_id=aspect_id)
    counts = await live_mentee_counts(session=session, mentor_ids=[c.id for c in candidates])
    ranked = []
    for mentor in candidates:
        free = mentor.capacity - counts.get(mentor.id, 0)
        if free <= 0:
            continue
        ranked.append(
            _score(mentee, mentor, aspect_name, now, free, current if another_perspective else [])
        )
    ranked.sort(key=lambda s: (-s.score, s.mentor.name.lower(), s.mentor.id))
    return ranked[:limit]


async def explain(
    session: AsyncSession, *, mentee: Member, mentor: Member, aspect_id: int, aspect_name: str,
    now: datetime,
) -> tuple[str, ...]:
    """The reasons this pair fits, for an ask or introduction that did not come from `suggest`."""
    declared = await offers(session, member_id=mentor.id, aspect_id=aspect_id)
    counts = await live_mentee_counts(session=session, mentor_ids=[mentor.id])
    score = _score(mentee, mentor, aspect_name, now, mentor.capacity - counts.get(mentor.id, 0), [])
    # Spare capacity helps ranking but is no reason two people fit.
    skip = {"capacity"} if declared else {"capacity", "expertise"}
    reasons = tuple(reason for key, reason in score.terms if key not in skip)
    return reasons or ("offered to help",)


async def offers(session: AsyncSession, *, member_id: int, aspect_id: int) -> bool:
    """Whether the person has expertise (of any source) on the aspect."""
    found = await session.exec(
        select(Expertise.id).where(Expertise.member_id == member_id, Expertise.aspect_id == aspect_id)
    )
    return found.first() is not None


def _score(mentee, mentor, aspect_name, now, free, current) -> Suggestion:
    terms: list[tuple[str, str]] = [("expertise", f"offers mentoring in {aspect_name}")]
    field = _same(mentee.specialty, mentor.specialty) or _same(mentee.department, mentor.department)
    if field:
        terms.append(("specialty", f"also in {field}"))
    if mentee.role and mentor.role and ROLE_TRACK.get(mentee.role) == ROLE_TRACK.get(mentor.role):
        terms.append(("role_track", f"also on the {ROLE_TRACK[mentor.role]} track"))
    site = _same(mentee.site, mentor.site)
    if site:
        terms.append(("site", f"also at {site}"))
    ahead = _years_ahead(mentee, mentor)
    if ahead is not None and EXPERIENCE_BAND[0] <= ahead <= EXPERIENCE_BAND[1]:
        terms.append(("experience", f"{ahead} years further along"))
    if free > 0:
        terms.append(("capacity", f"has room for {free} more mentee{'s' * (free > 1)}"))
    if current and all(_differs(mentor, other) for other in current):
        terms.append(("different_view", "a different background from your current mentor"))
    score = sum(WEIGHTS[key] * (free if key == "capacity" else 1) for key, _ in terms)
    return Suggestion(mentor, score, tuple(terms))


def _same(a: str | None, b: str | None) -> str | None:
    return a if a and b and a.strip().lower() == b.strip().lower() else None


def _differs(mentor: Member, other: Member) -> bool:
    return not (_same(mentor.specialty, other.specialty) and _same(mentor.site, other.site))


def _years_ahead(mentee: Member, mentor: Member) -> int | None:
    if mentee.career_start_year is None or mentor.career_start_year is None:
        return None
    return mentee.career_start_year - mentor.career_start_year


async def _eligible(session, *, mentee: Member, aspect_id: int, now: datetime) -> list[Member]:
    """Members with expertise on the aspect who pass the hard filters (capacity aside)."""
    since = now - timedelta(days=DECLINE_MEMORY_DAYS)
    declined = select(IntroAsk.mentor_id).where(
        IntroAsk.mentee_id == mentee.id,
        IntroAsk.status == Status.DECLINED,
        IntroAsk.answered_at >= since,
    )
    already = select(Mentorship.mentor_id).where(
        Mentorship.mentee_id == mentee.id,
        Mentorship.aspect_id == aspect_id,
        col(Mentorship.status).in_(LIVE),
    )
    rows = await session.exec(
        select(Member)
        .join(Expertise, Expertise.member_id == Member.id)
        .where(
            Expertise.aspect_id == aspect_id,
            Member.workspace_id == mentee.workspace_id,
            Member.id != mentee.id,
            Member.unreachable == False,  # noqa: E712
            col(Member.id).not_in(declined),
            col(Member.id).not_in(already),
            or_(Member.paused == False, and_(col(Member.paused_until).is_not(None),  # noqa: E712
                                              col(Member.paused_until) <= now)),
        )
        .distinct()
    )
    return list(rows.all())


async def _current_mentors(session, *, mentee_id: int, aspect_id: int) -> list[Member]:
    rows = await session.exec(
        select(Member)
        .join(Mentorship, Mentorship.mentor_id == Member.id)
        .where(
            Mentorship.mentee_id == mentee_id,
            Mentorship.aspect_id == aspect_id,
            col(Mentorship.status).in_(LIVE),
        )
    )
    return list(rows.all())
