"""Helpers the rules share: numbers and plurals in words, evidence references, and "held since" / "earliest met" over windows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction

from ..dates import ONE_DAY, english, first_day_clear_of, window_start
from ..evidence import (
    Evidence,
)
from ..model import (
    EVIDENCE_NOUNS,
    Window,
)
from .context import FAR_FUTURE, Context


def pct(value: Fraction) -> str:
    return f"{float(value):.1f}%"


def num(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):.1f}"


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def event_noun(kind: str, n: int) -> str:
    noun = EVIDENCE_NOUNS[kind]
    if n == 1:
        noun = {"offences": "offence", "exclusions": "exclusion"}.get(
            noun, noun[:-1] if noun.endswith("s") else noun
        )
    return f"{n} {noun}"


def refs(records: Iterable[Evidence]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted({r.ref() for r in records}))


# --------------------------------------------------------------------------------------------
# Time helpers: "held since" and "earliest met" over windows whose state changes at known days


def held_since(as_of: date, points: Iterable[date], holds: Callable[[date], bool]) -> date | None:
    """Earliest day from which ``holds`` was true on every day up to ``as_of``.

    ``points`` are the days on which the state can change; between them it is constant. The
    caller includes a point before which ``holds`` is false (e.g. the day the window clears the
    attachment date), so the walk ends.
    """
    if not holds(as_of):
        return None
    cands = sorted({p for p in points if p <= as_of}, reverse=True)
    since = as_of
    for p in cands:
        if p > since:
            continue
        since = p
        if not holds(p - ONE_DAY):
            return p
    return since


def first_holding(
    start: date, points: Iterable[date], holds: Callable[[date], bool]
) -> date | None:
    """Earliest day on or after ``start`` when ``holds`` is true, given the days state can change."""
    if holds(start):
        return start
    for p in sorted({p for p in points if p > start and p < FAR_FUTURE}):
        if holds(p):
            return p
    return None


# --------------------------------------------------------------------------------------------
# Event windows: reductions and "no further events"


def window_rule(
    ctx: Context,
    months: int | None,
    weeks: int | None,
    dates: list[date],
    bad_spans: list[tuple[date, date]],
    allowed: int,
) -> tuple[bool, date | None, date | None, int]:
    """(holds now, held since, earliest, count now) for "at most ``allowed`` events in the last window".

    ``dates`` are event days (sorted); ``bad_spans`` are [start, last day] periods that must not
    overlap the window at all.
    """

    def first_of(d: date) -> date:  # the window's first day
        return window_start(d, months) if months is not None else d - timedelta(days=7 * weeks - 1)  # type: ignore[operator]

    def clear_day(x: date) -> date:  # first d whose window starts after x
        if x >= FAR_FUTURE - timedelta(days=400):
            return FAR_FUTURE
        return (
            first_day_clear_of(x, months) if months is not None else x + timedelta(days=7 * weeks)
        )  # type: ignore[operator]

    def count(d: date) -> int:
        return bisect_right(dates, d) - bisect_left(dates, first_of(d))

    def holds(d: date) -> bool:
        first = first_of(d)
        if first <= ctx.ref:
            return False
        if any(b_start <= d and b_end >= first for b_start, b_end in bad_spans):
            return False
        return count(d) <= allowed

    points = {clear_day(ctx.ref)}
    for d in dates:
        points.update((d, clear_day(d)))
    for b_start, b_end in bad_spans:
        points.update((b_start, clear_day(b_end)))
    now = holds(ctx.as_of)
    since = held_since(ctx.as_of, points, holds) if now else None
    earliest = since if now else first_holding(ctx.as_of + ONE_DAY, points, holds)
    return now, since, earliest, count(ctx.as_of)


def window_text(months: int | None, weeks: int | None, as_of: date) -> tuple[str, str]:
    if months is not None:
        lo = window_start(as_of, months)
        label = f"the last {plural(months, 'month')}"
    else:
        lo = as_of - timedelta(days=7 * weeks - 1)  # type: ignore[operator]
        label = f"the last {plural(weeks, 'week')}"  # type: ignore[arg-type]
    return label, f"{english(lo)} to {english(as_of)}"


def window_length(w: Window) -> Fraction:
    if w.months is not None:
        return Fraction(w.months) * Fraction(36525, 1200)  # average days per month
    return Fraction(7 * (w.weeks or 0))
