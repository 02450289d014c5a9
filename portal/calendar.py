"""Working days: weekends and the official days off skipped, compensatory Saturdays counted.

The whole holiday table is small (about fifteen rows a year), so it is read once into a map
{date: kind} kept in the cache; every call then costs no query, which keeps list pages that
show a deadline per row at a constant query count. Saving or deleting a `Holiday` drops the
cached map (see `portal.apps`); other processes pick the change up when their cached copy
expires (`CACHE_SECONDS`), or at once when the deployment configures a shared cache.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache

from portal.models import Holiday, HolidayKind

CACHE_KEY = "portal.calendar.holidays"
CACHE_SECONDS = 600


def _calendar() -> dict[datetime.date, str]:
    days = cache.get(CACHE_KEY)
    if days is None:
        days = dict(Holiday.objects.values_list("date", "kind"))
        cache.set(CACHE_KEY, days, CACHE_SECONDS)
    return days


def forget() -> None:
    """Drop the cached calendar (after an edit of the holiday table)."""
    cache.delete(CACHE_KEY)


def _is_working(day: datetime.date, days: dict[datetime.date, str]) -> bool:
    kind = days.get(day)
    if kind == HolidayKind.DAY_OFF:
        return False
    if kind == HolidayKind.WORKING_DAY:
        return True
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    return _is_working(day, _calendar())


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """The day on which `days` working days after `day` have run (the deadline)."""
    calendar = _calendar()
    while days > 0:
        day += datetime.timedelta(days=1)
        if _is_working(day, calendar):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    calendar = _calendar()
    sign = 1 if end >= start else -1
    low, high = sorted((start, end))
    count = 0
    while low < high:
        low += datetime.timedelta(days=1)
        if _is_working(low, calendar):
            count += 1
    return sign * count
