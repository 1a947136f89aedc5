"""Requests, asks, mentorships and what comes of them."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


class LearningRequest(SQLModel, table=True):
    """`/learn`: what one person wants to get better at, in their own words."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    aspect_id: int = Field(foreign_key="aspect.id", index=True)
    details: str = Field(default="", max_length=1000)
    public: bool = True
    another_perspective: bool = False
    status: str = Field(default="open", max_length=16)
    created_at: datetime = timestamp()
    first_intro_at: datetime | None = timestamp(default=None, nullable=True)


class LearnDraft(SQLModel, table=True):
    """A `/learn` waiting for its author to confirm the aspect (a near spelling, or a topic
    nobody has asked for): nothing is recorded or announced until they press a button."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    typed: str = Field(max_length=80)
    suggested_id: int | None = Field(default=None, foreign_key="aspect.id")
    details: str = Field(default="", max_length=1000)
    public: bool = True
    another_perspective: bool = False
    created_at: datetime = timestamp()


class IntroAsk(SQLModel, table=True):
    """A double opt-in ask: `asker` proposed the pair, `asked` must accept before any intro."""

    __table_args__ = (
        Index("ix_introask_pending_expiry", "status", "expires_at"),
        Index("ix_introask_pair", "mentor_id", "mentee_id"),
        Index("ix_introask_asked_status", "asked_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="learningrequest.id", index=True)
    mentor_id: int = Field(foreign_key="member.id")
    mentee_id: int = Field(foreign_key="member.id")
    asker_id: int = Field(foreign_key="member.id")
    asked_id: int = Field(foreign_key="member.id", index=True)
    origin: str = Field(max_length=16)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16)
    created_at: datetime = timestamp()
    expires_at: datetime = timestamp()
    answered_at: datetime | None = timestamp(default=None, nullable=True)


class Mentorship(SQLModel, table=True):
    """One mentor, one mentee, one aspect, checked in on a cadence until they wrap up."""

    __table_args__ = (
        Index(
            "uq_mentorship_live",
            "mentor_id",
            "mentee_id",
            "aspect_id",
            unique=True,
            sqlite_where=text("status != 'wrapped'"),
            postgresql_where=text("status != 'wrapped'"),
        ),
        # One live mentorship per request, whatever interleaving of clicks created it; a
        # second mentor on the same aspect comes from its own ("another perspective") request.
        Index(
            "uq_mentorship_request_live",
            "request_id",
            unique=True,
            sqlite_where=text("status != 'wrapped' AND request_id IS NOT NULL"),
            postgresql_where=text("status != 'wrapped' AND request_id IS NOT NULL"),
        ),
        Index("ix_mentorship_due", "status", "next_checkin_at"),
        Index("ix_mentorship_mentee", "mentee_id", "aspect_id"),
        Index("ix_mentorship_mentor_status", "mentor_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="member.id", index=True)
    mentee_id: int = Field(foreign_key="member.id")
    aspect_id: int = Field(foreign_key="aspect.id")
    request_id: int | None = Field(default=None, foreign_key="learningrequest.id")
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cadence_days: int = 14
    status: str = Field(default="active", max_length=16)
    # Who paused the pair (None: paused by the bot, after silence or an unreachable person).
    paused_by_id: int | None = Field(default=None, foreign_key="member.id")
    next_checkin_at: datetime = timestamp()
    silent_rounds: int = 0
    rounds: int = 0
    started_at: datetime = timestamp()
    ended_at: datetime | None = timestamp(default=None, nullable=True)
    # Why it ended: "wrapped" (a person wrapped it up) or "silent" (closed after a warning).
    end_reason: str | None = Field(default=None, max_length=16)
    next_survey_at: datetime | None = timestamp(default=None, nullable=True)
    heard_at: datetime | None = timestamp(default=None, nullable=True)  # either side's last word
    flagged_at: datetime | None = timestamp(default=None, nullable=True)  # never met: lead told
    warned_at: datetime | None = timestamp(default=None, nullable=True)  # quiet: closing soon

    def other_side(self, member_id: int) -> int:
        """The other person of the pair, seen from `member_id`'s side."""
        return self.mentee_id if member_id == self.mentor_id else self.mentor_id


class CheckIn(SQLModel, table=True):
    """One round of "how is it going?" sent to both sides. Each side's answer is kept;
    `outcome` is what they add up to: a "met" from either counts, a pause or wrap-up from
    either ends the round, "not yet" stands until the other says they met."""

    __table_args__ = (UniqueConstraint("mentorship_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    mentorship_id: int = Field(foreign_key="mentorship.id", index=True)
    round: int
    asked_at: datetime = timestamp()
    outcome: str | None = Field(default=None, max_length=16)
    answered_by_id: int | None = Field(default=None, foreign_key="member.id")  # the first
    answered_at: datetime | None = timestamp(default=None, nullable=True)
    mentor_answer: str | None = Field(default=None, max_length=16)
    mentee_answer: str | None = Field(default=None, max_length=16)


class Survey(SQLModel, table=True):
    """One person's answer on how useful a mentorship has been (1–5): at a checkpoint (`stage`
    1, 2, …: day 30, then every 60 days) or at the wrap-up (stage 0, which also asks how close
    they are to the goal, 1–5). Due until asked; `note` is an optional line, screened."""

    __table_args__ = (UniqueConstraint("mentorship_id", "member_id", "stage"),
                      Index("ix_survey_due", "asked_at", "due_at"))
    id: int | None = Field(default=None, primary_key=True)
    mentorship_id: int = Field(foreign_key="mentorship.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    stage: int
    due_at: datetime = timestamp()
    asked_at: datetime | None = timestamp(default=None, nullable=True)
    rating: int | None = None
    goal: int | None = None
    note: str | None = Field(default=None, max_length=300)
    answered_at: datetime | None = timestamp(default=None, nullable=True)


class Reflection(SQLModel, table=True):
    """What one side says they gained when a mentorship wraps up."""

    __table_args__ = (UniqueConstraint("mentorship_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    mentorship_id: int = Field(foreign_key="mentorship.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    text: str = Field(max_length=500)
    created_at: datetime = timestamp()


class Thanks(SQLModel, table=True):
    """A thank-you from one person to another; quoted in the mentor's impact only when the
    sender allowed it."""

    id: int | None = Field(default=None, primary_key=True)
    from_id: int = Field(foreign_key="member.id")
    to_id: int = Field(foreign_key="member.id", index=True)
    text: str = Field(max_length=500)
    quotable: bool = True
    created_at: datetime = timestamp()

