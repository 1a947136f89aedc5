"""What comes in and goes out: the inbox, the outbox, send slots, events seen, and where Teams sends."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


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
    not_before: datetime = timestamp()
    claimed_until: datetime | None = timestamp(default=None, nullable=True)
    claim_token: str | None = Field(default=None, max_length=40)
    created_at: datetime = timestamp(index=True)
    sent_at: datetime | None = timestamp(default=None, nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    # A reply to what someone just asked: where it may go instead of a DM, and until when.
    reply_to: str | None = Field(default=None, max_length=2000)
    reply_until: datetime | None = timestamp(default=None, nullable=True)


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
    reply_until: datetime | None = timestamp(default=None, nullable=True)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    claimed_until: datetime | None = timestamp(default=None, nullable=True)
    claim_token: str | None = Field(default=None, max_length=40)
    received_at: datetime = timestamp()
    done_at: datetime | None = timestamp(default=None, nullable=True)


class SendSlot(SQLModel, table=True):
    """When the next message to one conversation may go (the "theoretical arrival time" of
    the generic cell rate algorithm), shared by every instance so that together they keep
    under the platform's limit for that conversation."""

    key: str = Field(primary_key=True, max_length=300)
    tat: datetime = timestamp()


class InboundEvent(SQLModel, table=True):
    """A platform event or interaction already handled; a retry of it is acknowledged and ignored."""

    key: str = Field(primary_key=True, max_length=200)
    received_at: datetime = timestamp(index=True)


class ConversationRef(SQLModel, table=True):
    """Where a platform lets the bot write to someone later (Teams' conversation reference),
    kept so that proactive messages survive restarts. `key` is a user or channel id."""

    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    key: str = Field(max_length=200)
    reference: dict = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = timestamp()

