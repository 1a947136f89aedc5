"""Workspaces, the people in them, and the aspects they offer or want."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


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
    rosters_read_at: datetime | None = timestamp(default=None, nullable=True)  # channel members
    has_programs: bool = False  # whether to read its programs at all (most have none)
    created_at: datetime = timestamp()


MEMBER, GUEST, STAFF = "member", "guest", "staff"  # Member.affiliation


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
    paused_until: datetime | None = timestamp(default=None, nullable=True)
    unreachable: bool = False
    # "member"; "guest" (the platform says external or restricted: never suggested as a
    # mentor); "staff" (listed in the roster import, which the platform does not overrule)
    affiliation: str = Field(default="member", max_length=8)
    quarterly_digest: bool = True  # "your mentoring this quarter"; off in the profile
    created_at: datetime = timestamp()
    last_active_at: datetime | None = timestamp(default=None, nullable=True)
    # Employment, from the roster when it says (for the report's 12-month retention only).
    hired_on: date | None = None
    left_on: date | None = None


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
    updated_at: datetime = timestamp()

