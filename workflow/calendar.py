"""Working days by the Ukrainian calendar: weekends and the public holidays of the `holidays` package."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("UA", years=year)


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day, `days` working days after `start`."""
    return datetime.combine(_working_date_after(start.date(), days), start.timetz())


@lru_cache(maxsize=4096)
def _working_date_after(day: date, days: int) -> date:
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(first: date, last: date, *, at_most: int | None = None) -> int:
    """Working days after `first` up to and including `last` (0 when `last` is not after `first`); counted no
    further than `at_most` when given (a period long passed is not walked day by day)."""
    count, day = 0, first
    while day < last and (at_most is None or count < at_most):
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def add_days(start: datetime, days: int, *, working: bool) -> datetime:
    return add_working_days(start, days) if working else start + timedelta(days=days)
