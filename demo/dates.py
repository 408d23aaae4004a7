"""The demo's calendar: every date in the demo is worked out from the day it is loaded.

`seed_demo` and `generate_synthetic` take that day as `today` (default `timezone.localdate()`),
so the demo reads true whenever it is loaded, and tests can load it as of any day:

- families were identified in the last two years and attached 2 to 20 months ago;
- school terms are those of the current and previous academic years (the council's term dates:
  the engine's defaults, `outcomes.engine.terms.DEFAULT_TERMS`, or its `TermDate` overrides);
- claims are made on the quarter days (31 March, 30 June, 30 September, 31 December) of the
  past year, and the next quarter day is set as the next claim date;
- the outcomes plan has been in force since 1 April three years before, before anything the
  demo evaluates.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

QUARTER_DAYS = ((3, 31), (6, 30), (9, 30), (12, 31))


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier if negative), at most the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_days_before(today: date, count: int) -> list[date]:
    """The `count` latest quarter days strictly before `today`, oldest first."""
    days: list[date] = []
    year = today.year
    while len(days) < count:
        for month, day in reversed(QUARTER_DAYS):
            on = date(year, month, day)
            if on < today and len(days) < count:
                days.append(on)
        year -= 1
    return sorted(days)


def next_quarter_day(today: date) -> date:
    """The first quarter day after `today`."""
    for year in (today.year, today.year + 1):
        for month, day in QUARTER_DAYS:
            if date(year, month, day) > today:
                return date(year, month, day)
    raise AssertionError("unreachable")  # pragma: no cover


def claim_dates(today: date) -> list[date]:
    """The council's claim dates: the quarter days of the past year, then the next one."""
    past = [on for on in quarter_days_before(today, 4) if on > today - timedelta(days=366)]
    return [*past, next_quarter_day(today)]


def plan_start(today: date) -> date:
    """When the demo's outcomes plan came into force: 1 April three years before `today`."""
    return date(today.year - 3, 4, 1)


def parse_day(value: str) -> date:
    """A command's --today: a date like 2026-03-31 (argparse reports the ValueError)."""
    return date.fromisoformat(value)


def moment_on(day: date, hour: int, minute: int = 0) -> datetime:
    """That day at that time of day, in the service's time zone (Europe/London)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
