"""The terms of a mentor's score, each a bounded feature with a reason in words.

The score is a sum of named terms, each a feature in [0, 1] times its weight in `WEIGHTS`,
the one place the weights live. Every term that contributes becomes a reason a person can
read; nobody sees a raw number.
"""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, String, bindparam, case, func, or_
from sqlmodel import col

from bot.core.domain import ROLE_TRACK
from bot.core.messages import channel_ref
from bot.core.wording import plural
from bot.matching.familiarity import closeness, decayed
from storage.models import Interaction, Member

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
    "rated": 1.5,  # mentees found their mentorships useful (1–5, shrunk toward the middle)
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


@dataclass(frozen=True)
class Suggestion:
    mentor: Member
    score: float
    terms: tuple[tuple[str, str], ...]  # (weight name, reason in words)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(reason for _, reason in self.terms)


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


RATING_PRIOR, PRIOR_PAIRS = 3.0, 2  # a mentor starts as two pairs of "3/5": one answer can't dominate


def rated(pair_means: list[float]) -> float:
    """How far above the middle of the scale the mentees' ratings are (1 at 5/5 over many pairs;
    0 at or below 3/5), each pair counting once, shrunk toward 3/5 while there are few."""
    shrunk = (RATING_PRIOR * PRIOR_PAIRS + sum(pair_means)) / (PRIOR_PAIRS + len(pair_means))
    return max(0.0, (shrunk - RATING_PRIOR) / (5 - RATING_PRIOR))


def rated_reason(pair_means: list[float]) -> str:
    mean = sum(pair_means) / len(pair_means)
    return f"mentees rated their mentorships {mean:.1f}/5 on average ({plural(len(pair_means), 'pair')})"


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


def experience_fit_sql(ahead: ColumnElement) -> ColumnElement:
    """`experience_fit` as an SQL expression (0 where the year is unknown)."""
    return case((ahead < 1, 0.0), (ahead == 1, 0.4), (ahead <= 10, 1.0),
                (ahead < 20, (20 - ahead) / 10.0), else_=0.0)


def _likeness() -> ColumnElement:
    """`similarity`'s weighted terms as one SQL expression over a candidate's Member row, so
    that thousands are sorted in the database (which folds case in ASCII only, where
    `similarity` folds all of Unicode: a shortlist, scored exactly afterwards). Built once:
    the mentee's side comes in as parameters (`likeness`)."""
    def same_sql(column, name: str) -> ColumnElement:
        return func.lower(func.trim(column)) == bindparam(name, type_=String)

    ahead = bindparam("like_start", type_=Integer) - col(Member.career_start_year)
    return (case((or_(same_sql(Member.specialty, "like_specialty"),
                      same_sql(Member.department, "like_department")), WEIGHTS["specialty"]),
                 else_=0.0)
            + case((same_sql(Member.site, "like_site"), WEIGHTS["site"]), else_=0.0)
            + case((col(Member.role).in_(bindparam("like_track", expanding=True)),
                    WEIGHTS["role_track"]), else_=0.0)
            + WEIGHTS["experience"] * experience_fit_sql(ahead))


LIKENESS = _likeness()


def likeness(mentee: Member) -> dict:
    """The parameters of `LIKENESS` for this mentee (None never matches)."""
    def folded(value: str | None) -> str | None:
        return (value or "").strip().lower() or None

    track = ROLE_TRACK.get(mentee.role or "")
    return {"like_specialty": folded(mentee.specialty), "like_department": folded(mentee.department),
            "like_site": folded(mentee.site), "like_start": mentee.career_start_year or None,
            "like_track": [role for role, t in ROLE_TRACK.items() if track and t == track]}


def same(a: str | None, b: str | None) -> str | None:
    return a if a and b and a.strip().lower() == b.strip().lower() else None


def similarity(features: Features, mentee: Member, mentor: Member) -> None:
    field_ = same(mentee.specialty, mentor.specialty) or same(mentee.department, mentor.department)
    site = same(mentee.site, mentor.site)
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


def differs(mentor: Member, other: Member) -> bool:
    return not (same(mentor.specialty, other.specialty) and same(mentor.site, other.site))


def familiarity(features: dict[int, Features], edges: dict[int, Interaction], now) -> None:
    for i, edge in edges.items():
        if i not in features:
            continue
        weight = decayed(edge.weight, edge.last_at, now)
        where = f" in {channel_ref(edge.channel)}" if edge.channel else ""
        if edge.threads:
            said = f"you've replied in {plural(edge.threads, 'thread')} together{where}"
        else:
            said = f"you've interacted {plural(edge.count, 'time')}{where}"
        features[i].add("direct", closeness(weight), said)


