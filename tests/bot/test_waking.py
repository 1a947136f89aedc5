"""Waking hours across time zones, midnight and daylight saving."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.waking import next_waking_moment

ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "UTC"]


@pytest.mark.parametrize("tz", ZONES)
def test_three_am_waits_until_seven_local(tz):
    now = datetime(2026, 12, 1, 3, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    wake = next_waking_moment(now, tz, 21, 7).astimezone(ZoneInfo(tz))
    assert (wake.date(), wake.hour, wake.minute) == (datetime(2026, 12, 1).date(), 7, 0)


@pytest.mark.parametrize("tz", ZONES)
def test_late_evening_waits_until_tomorrow_morning(tz):
    now = datetime(2026, 12, 1, 22, 30, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    wake = next_waking_moment(now, tz, 21, 7).astimezone(ZoneInfo(tz))
    assert (wake.day, wake.hour) == (2, 7)


@pytest.mark.parametrize("tz", ZONES)
def test_daytime_is_now(tz):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    assert next_waking_moment(now, tz, 21, 7) == now


def test_across_the_spring_forward_night():
    tz = "America/New_York"
    now = datetime(2026, 3, 8, 1, 30, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    wake = next_waking_moment(now, tz, 21, 7)
    assert wake.astimezone(ZoneInfo(tz)).hour == 7
    assert wake - now == timedelta(hours=4, minutes=30)  # one hour of the night never happens


def test_daytime_quiet_hours_for_a_night_worker():
    tz = "Europe/London"
    now = datetime(2026, 12, 1, 11, 0, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    assert next_waking_moment(now, tz, 9, 17).astimezone(ZoneInfo(tz)).hour == 17


def test_unknown_zone_falls_back_to_utc_and_equal_hours_mean_never_quiet():
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert next_waking_moment(now, "Mars/Olympus", 21, 7).hour == 7
    assert next_waking_moment(now, "UTC", 0, 0) == now


@given(
    now=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                     timezones=st.just(UTC)),
    tz=st.sampled_from(ZONES), start=st.integers(0, 23), end=st.integers(0, 23),
)
def test_never_earlier_never_quiet_never_more_than_a_day_away(now, tz, start, end):
    wake = next_waking_moment(now, tz, start, end)
    assert now <= wake <= now + timedelta(hours=25)
    hour = wake.astimezone(ZoneInfo(tz)).hour
    if start > end:
        assert not (hour >= start or hour < end)
    elif start < end:
        assert not (start <= hour < end)
