"""Mentoring programs run side by side in one workspace (a nurse residency beside a POCUS
program): who is in each, where its requests are announced, who leads it."""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


class Program(SQLModel, table=True):
    """Members are everyone, the people whose roster column `column` holds `value`, or the
    members of `channel`. `required`: its people are matched only with each other."""

    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str = Field(max_length=80)
    members_by: str = Field(default="everyone", max_length=16)  # everyone | roster | channel
    column: str | None = Field(default=None, max_length=32)
    value: str | None = Field(default=None, max_length=120)
    channel: str | None = Field(default=None, max_length=64)
    announce_in: str | None = Field(default=None, max_length=64)  # its mentoring channel
    leads: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    required: bool = False
    created_at: datetime = timestamp()
