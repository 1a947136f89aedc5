"""The tables. Every datetime is UTC-aware; every status is a short string named in `bot.domain`."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _when(**kw):
    return Field(sa_type=UTCDateTime, **kw)


class Workspace(SQLModel, table=True):
    """One Slack workspace, Teams tenant or console session; everything else hangs off it."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    name: str = Field(default="", max_length=200)
    channel: str | None = Field(default=None, max_length=200)
    active: bool = True
    digest_quarter: str | None = Field(default=None, max_length=8)  # last quarterly DM sent
    rosters_read_at: datetime | None = _when(default=None, nullable=True)  # channel members
    created_at: datetime = _when()


class Member(SQLModel, table=True):
    """A person in a workspace, with the profile that matching and scheduling read."""

    __table_args__ = (UniqueConstraint("workspace_id", "platform_user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    platform_user_id: str = Field(max_length=128)
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=254)
    role: str | None = Field(default=None, max_length=32)
    specialty: str | None = Field(default=None, max_length=120)
    department: str | None = Field(default=None, max_length=120)
    site: str | None = Field(default=None, max_length=120)
    career_start_year: int | None = None
    capacity: int = 2
    tz: str = Field(default="UTC", max_length=64)
    quiet_start_hour: int = 21
    quiet_end_hour: int = 7
    paused: bool = False
    paused_until: datetime | None = _when(default=None, nullable=True)
    unreachable: bool = False
    quarterly_digest: bool = True  # "your mentoring this quarter"; off in the profile
    created_at: datetime = _when()
    last_active_at: datetime | None = _when(default=None, nullable=True)


class Aspect(SQLModel, table=True):
    """A thing to learn. Curated aspects have no workspace; ones people coin belong to theirs."""

    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", index=True)
    slug: str = Field(max_length=100)
    name: str = Field(max_length=100)
    category: str = Field(default="other", max_length=40)
    curated: bool = False


class AspectSynonym(SQLModel, table=True):
    """Another way people write an aspect (an abbreviation, a spelling), normalized."""

    __table_args__ = (UniqueConstraint("aspect_id", "text"),)
    id: int | None = Field(default=None, primary_key=True)
    aspect_id: int = Field(foreign_key="aspect.id", index=True)
    text: str = Field(max_length=100, index=True)


class Expertise(SQLModel, table=True):
    """Someone can mentor an aspect: said so (declared), seen doing it (inferred) or did it."""

    __table_args__ = (
        UniqueConstraint("member_id", "aspect_id", "source"),
        Index("ix_expertise_aspect", "aspect_id", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    aspect_id: int = Field(foreign_key="aspect.id")
    source: str = Field(max_length=16)
    weight: float = 1.0
    updated_at: datetime = _when()


class LearningRequest(SQLModel, table=True):
    """`/learn`: what one person wants to get better at, in their own words."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    aspect_id: int = Field(foreign_key="aspect.id", index=True)
    details: str = Field(default="", max_length=1000)
    public: bool = True
    another_perspective: bool = False
    status: str = Field(default="open", max_length=16)
    created_at: datetime = _when()
    first_intro_at: datetime | None = _when(default=None, nullable=True)


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
    created_at: datetime = _when()
    expires_at: datetime = _when()
    answered_at: datetime | None = _when(default=None, nullable=True)


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
    next_checkin_at: datetime = _when()
    silent_rounds: int = 0
    rounds: int = 0
    started_at: datetime = _when()
    ended_at: datetime | None = _when(default=None, nullable=True)

    def other_side(self, member_id: int) -> int:
        """The other person of the pair, seen from `member_id`'s side."""
        return self.mentee_id if member_id == self.mentor_id else self.mentor_id


class CheckIn(SQLModel, table=True):
    """One round of "how is it going?" sent to both sides; the first answer settles it."""

    __table_args__ = (UniqueConstraint("mentorship_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    mentorship_id: int = Field(foreign_key="mentorship.id", index=True)
    round: int
    asked_at: datetime = _when()
    outcome: str | None = Field(default=None, max_length=16)
    answered_by_id: int | None = Field(default=None, foreign_key="member.id")
    answered_at: datetime | None = _when(default=None, nullable=True)


class Reflection(SQLModel, table=True):
    """What one side says they gained when a mentorship wraps up."""

    __table_args__ = (UniqueConstraint("mentorship_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    mentorship_id: int = Field(foreign_key="mentorship.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    text: str = Field(max_length=500)
    created_at: datetime = _when()


class Outbox(SQLModel, table=True):
    """A message the bot owes someone; written in the same transaction as its cause."""

    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    kind: str = Field(max_length=16)
    recipients: list[str] = Field(sa_column=Column(JSON, nullable=False))
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    not_before: datetime = _when()
    claimed_until: datetime | None = _when(default=None, nullable=True)
    claim_token: str | None = Field(default=None, max_length=40)
    created_at: datetime = _when()
    sent_at: datetime | None = _when(default=None, nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    # A reply to what someone just asked: where it may go instead of a DM, and until when.
    reply_to: str | None = Field(default=None, max_length=2000)
    reply_until: datetime | None = _when(default=None, nullable=True)


class InboxItem(SQLModel, table=True):
    """A command or click written down before it was acknowledged, worked by whichever
    instance is free. `key` is the platform's own id for it, so a replay is not worked twice.
    `body` holds only what the PHI screen let through, and is emptied once worked."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_waiting", "status", "claimed_until"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    platform: str = Field(max_length=16)
    team: str = Field(max_length=128)
    user_id: str = Field(max_length=128)
    channel: str | None = Field(default=None, max_length=128)
    kind: str = Field(max_length=16)  # "command" | "press"
    body: dict = Field(sa_column=Column(JSON, nullable=False))
    reply_to: str | None = Field(default=None, max_length=2000)  # e.g. Slack's response_url
    reply_until: datetime | None = _when(default=None, nullable=True)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    claimed_until: datetime | None = _when(default=None, nullable=True)
    claim_token: str | None = Field(default=None, max_length=40)
    received_at: datetime = _when()
    done_at: datetime | None = _when(default=None, nullable=True)


class SendSlot(SQLModel, table=True):
    """When the next message to one conversation may go (the "theoretical arrival time" of
    the generic cell rate algorithm), shared by every instance so that together they keep
    under the platform's limit for that conversation."""

    key: str = Field(primary_key=True, max_length=300)
    tat: datetime = _when()


class InboundEvent(SQLModel, table=True):
    """A platform event or interaction already handled; a retry of it is acknowledged and ignored."""

    key: str = Field(primary_key=True, max_length=200)
    received_at: datetime = _when()


class ConversationRef(SQLModel, table=True):
    """Where a platform lets the bot write to someone later (Teams' conversation reference),
    kept so that proactive messages survive restarts. `key` is a user or channel id."""

    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    key: str = Field(max_length=200)
    reference: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _when()


class Interaction(SQLModel, table=True):
    """Who interacted with whom (one row per direction): a decaying weight, counts and the
    last channel. Only that: never what was said."""

    __table_args__ = (UniqueConstraint("member_id", "other_id"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    other_id: int = Field(foreign_key="member.id")
    weight: float = 0.0  # as of last_at; decays with a half-life (bot.familiarity)
    count: int = 0
    threads: int = 0  # thread replies between the two
    channel: str | None = Field(default=None, max_length=64)
    last_at: datetime = _when()


class ChannelMember(SQLModel, table=True):
    """Channel membership, for "you share these channels" (small channels only)."""

    __table_args__ = (
        UniqueConstraint("workspace_id", "channel", "member_id"),
        Index("ix_channelmember_member", "member_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    channel: str = Field(max_length=64)
    member_id: int = Field(foreign_key="member.id")


class AspectSignal(SQLModel, table=True):
    """How often someone answered colleagues in threads that touched an aspect; enough of
    them becomes inferred expertise. The words are matched in memory and never kept."""

    __table_args__ = (UniqueConstraint("member_id", "aspect_id"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    aspect_id: int = Field(foreign_key="aspect.id")
    answers: int = 0
    last_at: datetime = _when()


class Thanks(SQLModel, table=True):
    """A thank-you from one person to another; quoted in the mentor's impact only when the
    sender allowed it."""

    id: int | None = Field(default=None, primary_key=True)
    from_id: int = Field(foreign_key="member.id")
    to_id: int = Field(foreign_key="member.id", index=True)
    text: str = Field(max_length=500)
    quotable: bool = True
    created_at: datetime = _when()


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of introductions, lead actions and erasures: ids and
    kinds only, never message content. Each row's hash covers the previous row's hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when()
    kind: str = Field(max_length=40)
    detail: dict = Field(sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
