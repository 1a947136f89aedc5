"""Familiarity: interactions, channel membership, aspect words seen, and the events they are
folded from."""

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


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
    last_at: datetime = timestamp(index=True)  # retention: pairs silent for a year are forgotten


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
    last_at: datetime = timestamp()



class ObservedEvent(SQLModel, table=True):
    """A workspace event as familiarity needs it (who, whom, what kind, where, when, and
    the aspects its words touched, matched in memory: never the words), written down before
    the platform is answered and folded into the tables above in batches. `others` and
    `aspects` are space-separated, with a space at each end (" U1 U2 "), so that erasing a
    person finds their id with one LIKE on both backends. `key` is the platform's id for the
    event, kept against its retries until the row is purged."""

    __tablename__ = "observation"
    __table_args__ = (Index("ix_observation_waiting", "folded_at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, max_length=200, unique=True)
    platform: str = Field(max_length=16)
    team: str = Field(max_length=128)
    kind: str = Field(max_length=8)  # familiarity.Observation's kinds
    user_id: str = Field(max_length=128)
    others: str = Field(default=" ", sa_column=Column(Text, nullable=False))
    channel: str | None = Field(default=None, max_length=128)
    aspects: str = Field(default=" ", max_length=200)
    seen_at: datetime = timestamp()
    folded_at: datetime | None = timestamp(default=None, nullable=True)
