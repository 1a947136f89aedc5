"""Waking hours: when it is decent to message someone, in their own time zone."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def next_waking_moment(now: datetime, tz: str | None, quiet_start: int, quiet_end: int) -> datetime:
    """`now` if it is outside the person's quiet hours, else the moment their quiet hours end.

    Quiet hours run from `quiet_start`:00 to `quiet_end`:00 local time and may cross
    midnight (21 → 7). Equal hours mean "never quiet".
    """
    if quiet_start == quiet_end:
        return now
    local = now.astimezone(zone(tz))
    hour = local.hour
    crosses_midnight = quiet_start > quiet_end
    quiet = (hour >= quiet_start or hour < quiet_end) if crosses_midnight else (
        quiet_start <= hour < quiet_end
    )
    if not quiet:
        return now
    day = local.date()
    if crosses_midnight and hour >= quiet_start:
        day += timedelta(days=1)
    wake = datetime.combine(day, time(quiet_end), tzinfo=local.tzinfo)
    # Round-trip through UTC so a wall time inside a DST gap lands on a real instant.
    return max(now, wake.astimezone(now.tzinfo))
