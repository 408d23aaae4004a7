"""Date arithmetic the rules share: calendar months, windows "(d - n months, d]", English dates."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# The month arithmetic below is pure and asked the same questions over and over (every family
# attached on the same day has the same baseline window), so answers are memoised.
_MEMO = 1 << 16


@lru_cache(maxsize=_MEMO)
def add_months(d: date, months: int) -> date:
    """The same day ``months`` calendar months away, clamped to the end of a shorter month."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=_MEMO)
def window_start(end: date, months: int) -> date:
    """First day of the window of ``months`` calendar months ending on ``end`` (both days included).

    The window is [add_months(end + 1 day, -months), end]: 1 January to 30 June is 6 months.
    """
    return add_months(end + ONE_DAY, -months)


@lru_cache(maxsize=_MEMO)
def first_day_clear_of(x: date, months: int) -> date:
    """Earliest day ``d`` whose ``months``-month window ending on ``d`` starts after ``x``.

    Used for "no events in the last 6 months": an event on ``x`` stops counting on this day.
    """
    y = x + ONE_DAY
    e = add_months(y, months)
    while add_months(e, -months) < y:
        e += ONE_DAY
    while add_months(e - ONE_DAY, -months) >= y:
        e -= ONE_DAY
    return e - ONE_DAY


def english(d: date | None) -> str:
    """A date the way council documents write it: 22 July 2016."""
    if d is None:
        return "an unknown date"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def age_on(date_of_birth: date | None, on: date) -> int | None:
    """Age in whole years on a date (a birthday on 29 February falls on 1 March in other years)."""
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def overlaps(start: date, end: date | None, window_from: date, window_to: date) -> bool:
    """Whether the spell [start, end] (end None: still open) shares a day with [window_from, window_to]."""
    return start <= window_to and (end is None or end >= window_from)
