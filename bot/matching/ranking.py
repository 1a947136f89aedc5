"""Who could mentor this person on this aspect, and why, in words.

The score is a sum of named terms, each a bounded feature in [0, 1] times its weight in
`WEIGHTS`, the one place the weights live. Every term that contributes becomes a reason a
person can read; nobody sees a raw number. Candidates come from indexes (aspect → people
with expertise, person → interaction edges, channel → members), never from a scan of
everyone, and each step is a bulk query over the candidate set, whose size is capped.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import and_, col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.domain import DECLINE_MEMORY_DAYS, ROLE_TRACK, Source, Status
from bot.core.messages import channel_ref
from bot.matching.familiarity import closeness, decayed
from storage.models import (
    ChannelMember,
    CheckIn,
    Expertise,
    Interaction,
    IntroAsk,
    LearningRequest,
    Member,
    Mentorship,
)
from storage.queries.common import LIVE
from storage.queries.mentorships import live_mentee_counts

WEIGHTS = {
    # expertise on the aspect
    "declared": 3.0,  # said they can mentor it
    "inferred": 1.5,  # keeps answering colleagues' threads about it
    "proven": 1.5,  # guided people on it to a wrap-up (saturates at 3)
    # familiarity: the organic connection
    "direct": 3.0,  # interacted with the mentee (decaying; saturates)
    "channels": 1.0,  # small channels in common (saturates at 3)
    "mutual": 1.0,  # colleagues in common (saturates at 5)
    # similarity
    "specialty": 1.5,
    "role_track": 1.0,
    "site": 1.0,
    # experience ahead of the mentee, within a band
    "experience": 1.5,
    # track record
    "finished": 1.0,  # mentorships wrapped up, any aspect (saturates at 5)
    "answers_checkins": 0.5,  # answers the check-ins of their pairs
    # enthusiasm and growth
    "active": 0.5,  # used Preceptor in the last 30 days
    "growing": 0.5,  # asked to learn something themselves this year
    "answers_asks": 0.5,  # accepts more asks than they let expire or decline
    # availability
    "capacity": 0.5,  # share of capacity still free
    # "another perspective": unlike the current mentor(s) on the aspect
    "different_view": 1.5,
}
MAX_CANDIDATES = 150  # beyond this, the cheapest features pick who is scored in full
SMALL_CHANNEL = 300  # bigger channels (#general) say nothing about familiarity


@dataclass(frozen=True)
class Suggestion:
    mentor: Member
    score: float
    terms: tuple[tuple[str, str], ...]  # (weight name, reason in words)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(reason for _, reason in self.terms)


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


CANDIDATE_COLUMNS = tuple(getattr(Member, f) for f in Candidate.__slots__)


@dataclass
class Features:
    """What is known about one candidate relative to one mentee; each value in [0, 1]."""

    values: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: float, reason: str = "") -> None:
        """A term; an empty reason counts without being said (another reason covers it)."""
        value = max(0.0, min(1.0, value))
        if value > 0:
            self.values[name], self.reasons[name] = value, reason

    def suggestion(self, mentor: Member) -> Suggestion:
        order = sorted(self.values, key=lambda n: -WEIGHTS[n] * self.values[n])
        return Suggestion(mentor, sum(WEIGHTS[n] * v for n, v in self.values.items()),
                          tuple((n, self.reasons[n]) for n in order if self.reasons[n]))


def experience_fit(years_ahead: int) -> float:
    """1 for 2–10 years ahead (a senior resident or a young attending for a PGY-1), fading
    to 0 at 20: close enough to remember, far enough to guide."""
    if years_ahead < 1:
        return 0.0
    if years_ahead == 1:
        return 0.4
    if years_ahead <= 10:
        return 1.0
    return max(0.0, (20 - years_ahead) / 10)


async def suggest(
    session: AsyncSession, *, mentee: Member, aspect_id: int, aspect_name: str, now: datetime,
    limit: int = 3, another_perspective: bool = False,
) -> list[Suggestion]:
    """Up to `limit` mentors for `mentee` on the aspect, best first, each with reasons."""
    candidates = await _eligible(session, mentee=mentee, aspect_id=aspect_id, now=now)
    if not candidates:
        return []
    edges = await _edges(session, mentee.id, list(candidates))
    if len(candidates) > MAX_CANDIDATES:
        candidates = _shortlist(mentee, candidates, edges)
    ids = list(candidates)
    features = {i: Features() for i in ids}
    expertise = await _expertise(session, ids, aspect_id)
    for i, sources in expertise.items():
        if Source.DECLARED in sources:
            features[i].add("declared", 1, f"offers mentoring in {aspect_name}")
        if Source.INFERRED in sources:
            features[i].add("inferred", sources[Source.INFERRED],
                            f"often answers colleagues' questions on {aspect_name}")
    for i, n in (await _finished(session, ids, aspect_id)).items():
        features[i].add("proven", n / 3, f"has guided {n} {_people(n)} on {aspect_name}")
    _familiarity(features, edges, now)
    for i, n in (await _shared_channels(session, mentee.id, ids)).items():
        features[i].add("channels", n / 3, f"you share {n} small channel{'s' * (n > 1)}")
    for i, n in (await _mutual(session, mentee.id, ids)).items():
        features[i].add("mutual", n / 5, f"you have {n} colleague{'s' * (n > 1)} in common")
    await _track_record(session, features, ids, now)
    counts = await live_mentee_counts(session=session, mentor_ids=ids)
    current = await _current_mentors(session, mentee_id=mentee.id, aspect_id=aspect_id)
    ranked = []
    for i, mentor in candidates.items():
        free = mentor.capacity - counts.get(i, 0)
        if free <= 0:
            continue
        _similarity(features[i], mentee, mentor)
        if mentor.last_active_at and now - mentor.last_active_at <= timedelta(days=30):
            features[i].add("active", 1, "active here this month")
        features[i].add("capacity", free / max(mentor.capacity, 1),
                        f"has room for {free} more mentee{'s' * (free > 1)}")
        if another_perspective and current and all(_differs(mentor, c) for c in current):
            features[i].add("different_view", 1, "a different background from your current mentor")
        ranked.append(features[i].suggestion(mentor))
    ranked.sort(key=lambda s: (-s.score, s.mentor.name.lower(), s.mentor.id))
    # Only the few shown are loaded as whole rows.
    return [Suggestion(await session.get_one(Member, s.mentor.id), s.score, s.terms)
            for s in ranked[:limit]]


async def explain(
    session: AsyncSession, *, mentee: Member, mentor: Member, aspect_id: int, aspect_name: str,
    now: datetime,
) -> tuple[str, ...]:
    """The reasons this pair fits, for an ask or an introduction (spare capacity is no
    reason two people fit, so it is left out)."""
    features = Features()
    edges = await _edges(session, mentee.id, [mentor.id])
    _familiarity({mentor.id: features}, edges, now)
    if await offers(session, member_id=mentor.id, aspect_id=aspect_id):
        features.add("declared", 1, f"offers mentoring in {aspect_name}")
    for n in (await _finished(session, [mentor.id], aspect_id)).values():
        features.add("proven", n / 3, f"has guided {n} {_people(n)} on {aspect_name}")
    _similarity(features, mentee, mentor)
    return features.suggestion(mentor).reasons or ("offered to help",)


async def offers(session: AsyncSession, *, member_id: int, aspect_id: int) -> bool:
    """Whether the person has expertise (of any source) on the aspect."""
    found = await session.exec(
        select(Expertise.id).where(Expertise.member_id == member_id, Expertise.aspect_id == aspect_id)
    )
    return found.first() is not None


def _people(n: int) -> str:
    return "person" if n == 1 else "people"


def _same(a: str | None, b: str | None) -> str | None:
    return a if a and b and a.strip().lower() == b.strip().lower() else None


def _similarity(features: Features, mentee: Member, mentor: Member) -> None:
    field_ = _same(mentee.specialty, mentor.specialty) or _same(mentee.department, mentor.department)
    site = _same(mentee.site, mentor.site)
    if field_:
        where = f" at {site}" if site else ""
        features.add("specialty", 1, f"both {field_}{where}")
    if site:
        features.add("site", 1, "" if field_ else f"both at {site}")
    if mentee.role and mentor.role and ROLE_TRACK.get(mentee.role) == ROLE_TRACK.get(mentor.role):
        features.add("role_track", 1, f"also on the {ROLE_TRACK[mentor.role]} track")
    if mentee.career_start_year and mentor.career_start_year:
        ahead = mentee.career_start_year - mentor.career_start_year
        features.add("experience", experience_fit(ahead), f"{ahead} years further along")


def _differs(mentor: Member, other: Member) -> bool:
    return not (_same(mentor.specialty, other.specialty) and _same(mentor.site, other.site))


def _familiarity(features: dict[int, Features], edges: dict[int, Interaction], now) -> None:
    for i, edge in edges.items():
        if i not in features:
            continue
        weight = decayed(edge.weight, edge.last_at, now)
        where = f" in {channel_ref(edge.channel)}" if edge.channel else ""
        if edge.threads:
            said = (f"you've replied in {edge.threads} thread{'s' * (edge.threads > 1)} "
                    f"together{where}")
        else:
            said = f"you've interacted {edge.count} time{'s' * (edge.count > 1)}{where}"
        features[i].add("direct", closeness(weight), said)


def _shortlist(mentee: Member, candidates: dict[int, Candidate],
               edges: dict[int, Interaction]) -> dict[int, Candidate]:
    """Everyone the mentee already knows, then the best by cheap profile features."""
    specialty = (mentee.specialty or mentee.department or "").strip().lower()
    site = (mentee.site or "").strip().lower()
    track = ROLE_TRACK.get(mentee.role or "")
    start = mentee.career_start_year

    def cheap(c: Candidate) -> float:
        score = WEIGHTS["specialty"] * (
            bool(specialty) and (c.specialty or c.department or "").strip().lower() == specialty)
        score += WEIGHTS["site"] * (bool(site) and (c.site or "").strip().lower() == site)
        score += WEIGHTS["role_track"] * (track is not None and ROLE_TRACK.get(c.role or "") == track)
        if start and c.career_start_year:
            score += WEIGHTS["experience"] * experience_fit(start - c.career_start_year)
        return score

    known = [i for i in candidates if i in edges]
    rest = sorted((c for i, c in candidates.items() if i not in edges), key=cheap, reverse=True)
    keep = known + [c.id for c in rest[: max(MAX_CANDIDATES - len(known), 0)]]
    return {i: candidates[i] for i in keep}


async def _eligible(session, *, mentee: Member, aspect_id: int,
                    now: datetime) -> dict[int, Candidate]:
    """People with expertise on the aspect who pass the hard filters (capacity aside)."""
    since = now - timedelta(days=DECLINE_MEMORY_DAYS)
    declined = select(IntroAsk.mentor_id).where(
        IntroAsk.mentee_id == mentee.id, IntroAsk.status == Status.DECLINED,
        IntroAsk.answered_at >= since,
    )
    already = select(Mentorship.mentor_id).where(
        Mentorship.mentee_id == mentee.id, Mentorship.aspect_id == aspect_id,
        col(Mentorship.status).in_(LIVE),
    )
    rows = await session.exec(
        select(*CANDIDATE_COLUMNS)
        .join(Expertise, Expertise.member_id == Member.id)
        .where(
            Expertise.aspect_id == aspect_id,
            Member.workspace_id == mentee.workspace_id,
            Member.id != mentee.id,
            Member.unreachable == False,  # noqa: E712
            Member.capacity > 0,
            col(Member.id).not_in(declined),
            col(Member.id).not_in(already),
            or_(Member.paused == False, and_(col(Member.paused_until).is_not(None),  # noqa: E712
                                              col(Member.paused_until) <= now)),
        )
        .distinct()
    )
    return {row[0]: Candidate(*row) for row in rows.all()}


async def _edges(session, mentee_id: int, ids: list[int]) -> dict[int, Interaction]:
    """The mentee's interaction edges, by the other person (a few dozen rows at most)."""
    rows = await session.exec(select(Interaction).where(Interaction.member_id == mentee_id))
    wanted = set(ids)
    return {e.other_id: e for e in rows.all() if e.other_id in wanted}


async def _expertise(session, ids: list[int], aspect_id: int) -> dict[int, dict[str, float]]:
    rows = await session.exec(
        select(Expertise.member_id, Expertise.source, Expertise.weight)
        .where(Expertise.aspect_id == aspect_id, col(Expertise.member_id).in_(ids))
    )
    found: dict[int, dict[str, float]] = {}
    for member_id, source, weight in rows.all():
        found.setdefault(member_id, {})[source] = weight
    return found


async def _finished(session, ids: list[int], aspect_id: int) -> dict[int, int]:
    rows = await session.exec(
        select(Mentorship.mentor_id, func.count())
        .where(col(Mentorship.mentor_id).in_(ids), Mentorship.aspect_id == aspect_id,
               Mentorship.status == Status.WRAPPED)
        .group_by(Mentorship.mentor_id)
    )
    return dict(rows.all())


async def _shared_channels(session, mentee_id: int, ids: list[int]) -> dict[int, int]:
    mine = select(ChannelMember.channel).where(ChannelMember.member_id == mentee_id)
    sizes = dict((await session.exec(
        select(ChannelMember.channel, func.count())
        .where(col(ChannelMember.channel).in_(mine)).group_by(ChannelMember.channel)
    )).all())
    small = [c for c, n in sizes.items() if n <= SMALL_CHANNEL]
    if not small:
        return {}
    rows = await session.exec(
        select(ChannelMember.member_id, func.count())
        .where(col(ChannelMember.channel).in_(small), col(ChannelMember.member_id).in_(ids))
        .group_by(ChannelMember.member_id)
    )
    return dict(rows.all())


async def _mutual(session, mentee_id: int, ids: list[int]) -> dict[int, int]:
    """Colleagues in common: the mentee's contacts who also interacted with each candidate."""
    contacts = select(Interaction.other_id).where(Interaction.member_id == mentee_id)
    rows = await session.exec(
        select(Interaction.other_id, func.count())
        .where(col(Interaction.member_id).in_(contacts), col(Interaction.other_id).in_(ids),
               Interaction.other_id != mentee_id)
        .group_by(Interaction.other_id)
    )
    return dict(rows.all())


async def _track_record(session, features: dict[int, Features], ids: list[int], now) -> None:
    """Finished mentorships, answered check-ins, recent activity, own learning, asks answered."""
    finished = dict((await session.exec(
        select(Mentorship.mentor_id, func.count())
        .where(col(Mentorship.mentor_id).in_(ids), Mentorship.status == Status.WRAPPED)
        .group_by(Mentorship.mentor_id))).all())
    for i, n in finished.items():
        features[i].add("finished", n / 5, f"has seen {n} mentorship{'s' * (n > 1)} through")
    answered = dict((await session.exec(
        select(CheckIn.answered_by_id, func.count())
        .where(col(CheckIn.answered_by_id).in_(ids)).group_by(CheckIn.answered_by_id))).all())
    asked = dict((await session.exec(
        select(Mentorship.mentor_id, func.sum(Mentorship.rounds))
        .where(col(Mentorship.mentor_id).in_(ids)).group_by(Mentorship.mentor_id))).all())
    for i, rounds in asked.items():
        if rounds:
            share = min(answered.get(i, 0) / rounds, 1.0)
            features[i].add("answers_checkins", share, "answers their check-ins")
    learning = dict((await session.exec(
        select(LearningRequest.member_id, func.count())
        .where(col(LearningRequest.member_id).in_(ids),
               LearningRequest.created_at >= now - timedelta(days=365))
        .group_by(LearningRequest.member_id))).all())
    for i in learning:
        features[i].add("growing", 1, "is learning something new themselves")
    asks = Counter()
    for asked_id, status, n in (await session.exec(
        select(IntroAsk.asked_id, IntroAsk.status, func.count())
        .where(col(IntroAsk.asked_id).in_(ids), IntroAsk.mentor_id == IntroAsk.asked_id,
               col(IntroAsk.status).in_((Status.ACCEPTED, Status.DECLINED, Status.EXPIRED)))
        .group_by(IntroAsk.asked_id, IntroAsk.status))).all():
        asks[(asked_id, status)] = n
    for i in ids:
        total = sum(asks[(i, s)] for s in (Status.ACCEPTED, Status.DECLINED, Status.EXPIRED))
        if total:
            features[i].add("answers_asks", asks[(i, Status.ACCEPTED)] / total,
                            "says yes to most asks")


async def _current_mentors(session, *, mentee_id: int, aspect_id: int) -> list[Member]:
    rows = await session.exec(
        select(Member)
        .join(Mentorship, Mentorship.mentor_id == Member.id)
        .where(
            Mentorship.mentee_id == mentee_id, Mentorship.aspect_id == aspect_id,
            col(Mentorship.status).in_(LIVE),
        )
    )
    return list(rows.all())
