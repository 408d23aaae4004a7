"""The moment the product's services believe it is while the demo writes its past.

The demo council's history (partner data arriving, the nightly checks, the notifications they
send, claim batches drafted, audited, approved and paid) is written through the real services
when `seed_demo` runs. Those services stamp what they write with `django.utils.timezone.now()`
(when a run started, a notification was sent, a batch was signed off, evidence was frozen) and
check dates against `timezone.localdate()`. `DemoClock.at(day, hour)` makes both say that moment
while the demo writes what happened then, so a run for 30 June started on 30 June and a batch
paid in August was signed off before it was paid: every page reads as it would have on the day.

The clock moves on with the real one inside a step (durations stay true), and never goes past
the demo's "now": the real time when the demo is loaded as of today, or that time of day on the
day it is loaded as of (`today=`).

Only for the demo commands, which are single-threaded: the swap is process-wide while a step
runs, and is undone when it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from .dates import moment_on

_real_now = timezone.now


@contextmanager
def replaying(moment: datetime) -> Iterator[None]:
    """Within the block, `timezone.now()` starts at `moment` and moves on with the real clock."""
    started = _real_now()
    previous = timezone.now
    timezone.now = lambda: moment + (_real_now() - started)
    try:
        yield
    finally:
        timezone.now = previous


@dataclass(frozen=True)
class DemoClock:
    """The demo's "now" for a load as of `today`, and the moments of its past."""

    today: date

    @property
    def now(self) -> datetime:
        real = timezone.localtime(_real_now())
        if self.today == real.date():
            return real
        return moment_on(self.today, real.hour, real.minute)

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        """That day at that time, or the demo's "now" if that is later."""
        return min(moment_on(day, hour, minute), self.now)

    def at(self, day: date, hour: int, minute: int = 0):
        """Write as if it were that day at that time (or now, if that is later)."""
        return replaying(self.moment(day, hour, minute))
