"""Who could mentor this person on this aspect, and why, in words (terms in `features`).

Candidates come from indexes (aspect → people with expertise, person → interaction edges,
channel → members), never from a scan of everyone; each signal is one bulk query over the
candidate set (`storage.queries.candidates`), whose size is capped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import DECLINE_MEMORY_DAYS, Source, Status
from bot.core.wording import plural
from bot.matching.features import (
    LIKENESS,
    Features,
    Suggestion,
    differs,
    familiarity,
    likeness,
    rated,
    rated_reason,
    similarity,
)
from storage.models import Member, Program
from storage.queries import candidates as signals
from storage.queries.mentorships import mentors_of
from storage.queries.programs import matching_scope

MAX_CANDIDATES = 150  # beyond this, the cheapest features pick who is scored in full
SMALL_CHANNEL = 300  # bigger channels (#general) say nothing about familiarity
LEARNING = timedelta(days=365)  # asked to learn something within this: still growing


@dataclass(frozen=True, slots=True)
class Candidate:
    """The profile fields scoring reads, without loading whole rows (there may be thousands)."""

    id: int
    name: str
    role: str | None
    specialty: str | None
    department: str | None
    site: str | None
    career_start_year: int | None
    capacity: int
    last_active_at: datetime | None


async def suggest(
    session: AsyncSession, *, mentee: Member, aspect_id: int, aspect_name: str, now: datetime,
    limit: int = 3, another_perspective: bool = False, programs: list[Program] | None = None,
) -> list[Suggestion]:
    """Up to `limit` mentors for `mentee` on the aspect, best first, each with reasons;
    within the mentee's programs that require it (of `programs`, read if not given)."""
    edges = await signals.edges_from(session=session, member_id=mentee.id)
    candidates = await _eligible(session, mentee=mentee, aspect_id=aspect_id, now=now,
                                 known=list(edges), programs=programs)
    if not candidates:
        return []
    ids = list(candidates)
    features = {i: Features() for i in ids}
    counts = await signals.mentorship_counts(session=session, mentor_ids=ids, aspect_id=aspect_id)
    await _expertise(session, features, aspect_id, aspect_name, counts)
    familiarity(features, edges, now)
    await _network(session, features, mentee.id)
    await _track_record(session, features, now, counts)
    current = await mentors_of(session=session, mentee_id=mentee.id, aspect_id=aspect_id)
    ranked = []
    for i, mentor in candidates.items():
        free = mentor.capacity - (counts[i].live if i in counts else 0)
        if free <= 0:
            continue
        similarity(features[i], mentee, mentor)
        if mentor.last_active_at and now - mentor.last_active_at <= timedelta(days=30):
            features[i].add("active", 1, "active here this month")
        features[i].add("capacity", free / max(mentor.capacity, 1),
                        f"has room for {plural(free, 'more mentee')}")
        if another_perspective and current and all(differs(mentor, c) for c in current):
            features[i].add("different_view", 1, "a different background from your current mentor")
        ranked.append(features[i].suggestion(mentor))
    ranked.sort(key=lambda s: (-s.score, s.mentor.name.lower(), s.mentor.id))
    shown = ranked[:limit]  # only the few shown are loaded as whole rows, in one query
    rows = await signals.members_by_id(session=session, ids=[s.mentor.id for s in shown if s.mentor.id])
    return [Suggestion(rows[s.mentor.id], s.score, s.terms) for s in shown]


async def explain(
    session: AsyncSession, *, mentee: Member, mentor: Member, aspect_id: int, aspect_name: str,
    now: datetime,
) -> tuple[str, ...]:
    """The reasons this pair fits, for an ask or an introduction (spare capacity is no
    reason two people fit, so it is left out)."""
    features = Features()
    edges = await signals.edges_from(session=session, member_id=mentee.id, others=[mentor.id])
    familiarity({mentor.id: features}, edges, now)
    if await signals.has_expertise(session=session, member_id=mentor.id, aspect_id=aspect_id):
        features.add("declared", 1, f"offers mentoring in {aspect_name}")
    for n in (await signals.wrapped_counts(session=session, mentor_ids=[mentor.id],
                                           aspect_id=aspect_id)).values():
        features.add("proven", n / 3, f"has guided {plural(n, 'person', 'people')} on {aspect_name}")
    records = await signals.track_records(session=session, member_ids=[mentor.id], since=now - LEARNING)
    _rated({mentor.id: features}, records.ratings)
    similarity(features, mentee, mentor)
    return features.suggestion(mentor).reasons or ("offered to help",)


async def _eligible(session, *, mentee: Member, aspect_id: int, now: datetime,
                    known: list[int], programs: list[Program] | None) -> dict[int, Candidate]:
    """Everyone eligible the mentee already knows, then the best by cheap profile features
    (sorted in the database), `MAX_CANDIDATES` in all unless more are known."""
    rows = await signals.eligible_mentors(
        session=session, mentee_id=mentee.id, workspace_id=mentee.workspace_id, aspect_id=aspect_id,
        within=await matching_scope(session=session, mentee=mentee, programs=programs),
        now=now, declined_since=now - timedelta(days=DECLINE_MEMORY_DAYS), known=known,
        likeness=LIKENESS, likeness_params=likeness(mentee), limit=MAX_CANDIDATES)
    return {row[0]: Candidate(*row) for row in rows}


async def _expertise(session, features: dict[int, Features], aspect_id: int, aspect_name: str,
                     counts: dict[int, signals.MentorCounts]) -> None:
    """Declared, inferred and proven expertise on the aspect."""
    ids = list(features)
    for i, sources in (await signals.expertise_weights(session=session, member_ids=ids,
                                                       aspect_id=aspect_id)).items():
        if Source.DECLARED in sources:
            features[i].add("declared", 1, f"offers mentoring in {aspect_name}")
        if Source.INFERRED in sources:
            features[i].add("inferred", sources[Source.INFERRED],
                            f"often answers colleagues' questions on {aspect_name}")
    for i, c in counts.items():
        if c.wrapped_on:
            n = c.wrapped_on
            features[i].add("proven", n / 3, f"has guided {plural(n, 'person', 'people')} on {aspect_name}")


async def _network(session, features: dict[int, Features], mentee_id: int) -> None:
    """Small channels and colleagues in common."""
    ids = list(features)
    for i, n in (await signals.shared_small_channels(session=session, member_id=mentee_id, others=ids,
                                                     small=SMALL_CHANNEL)).items():
        features[i].add("channels", n / 3, f"you share {plural(n, 'small channel')}")
    for i, n in (await signals.mutual_contacts(session=session, member_id=mentee_id, others=ids)).items():
        features[i].add("mutual", n / 5, f"you have {plural(n, 'colleague')} in common")


def _rated(features: dict[int, Features], ratings: dict[int, list[float]]) -> None:
    """What the mentees of each candidate said of their mentorships."""
    for i, means in ratings.items():
        features[i].add("rated", rated(means), rated_reason(means))


async def _track_record(session, features: dict[int, Features], now: datetime,
                        counts: dict[int, signals.MentorCounts]) -> None:
    """Finished mentorships, mentees' ratings, answered check-ins, own learning, asks answered
    (read in one statement)."""
    ids = list(features)
    records = await signals.track_records(session=session, member_ids=ids, since=now - LEARNING)
    for i, c in counts.items():
        if c.wrapped:
            features[i].add("finished", c.wrapped / 5, f"has seen {plural(c.wrapped, 'mentorship')} through")
    _rated(features, records.ratings)
    for i, c in counts.items():
        if c.rounds:
            features[i].add("answers_checkins", min(records.answered[i] / c.rounds, 1.0),
                            "answers their check-ins")
    for i in records.learning:
        features[i].add("growing", 1, "is learning something new themselves")
    asks = records.asks
    answers = (Status.ACCEPTED, Status.DECLINED, Status.EXPIRED)
    for i in ids:
        total = sum(asks[(i, s)] for s in answers)
        if total:
            features[i].add("answers_asks", asks[(i, Status.ACCEPTED)] / total, "says yes to most asks")
