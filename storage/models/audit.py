"""The hash-chained audit log."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models.fields import timestamp


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of introductions, lead actions and erasures: ids and
    kinds only, never message content. Each row's hash covers the previous row's hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp()
    kind: str = Field(max_length=40)
    detail: dict = Field(sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)

