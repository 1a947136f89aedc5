"""Column helpers shared by the tables."""

from sqlmodel import Field

from storage.types import UTCDateTime


def timestamp(**kw):
    """A UTC-aware datetime column."""
    return Field(sa_type=UTCDateTime, **kw)
