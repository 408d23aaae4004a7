"""School terms: attendance, absence and exclusions against a threshold over consecutive terms."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from ..dates import english
from ..evidence import (
    Evidence,
    Exclusion,
)
from ..model import (
    COMPARISON_WORDS,
    TermThreshold,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context, attendance_value, fraction
from .helpers import (
    num,
    pct,
    plural,
    refs,
)

# --------------------------------------------------------------------------------------------
# School terms. Each term has a statistic: (possible, absent) sessions for attendance measures
# (None without a record), or a count of exclusions. An exclusion in a holiday belongs to the next
# term, so counts over consecutive terms include every day from the first term's start.

Stat = tuple[int, int] | int | None


def term_stat(
    ctx: Context, c: TermThreshold, person_id: int, index: int
) -> tuple[Stat, list[Evidence]]:
    if c.measure in ("attendance", "absence"):
        records = ctx.attendance.get(person_id, {}).get(index, [])
        if not records:
            return None, []
        return (
            sum(r.possible_sessions for r in records),
            sum(r.absent_sessions for r in records),
        ), list(records)
    wanted = "fixed_term" if c.measure == "fixed_term_exclusions" else "permanent"
    found = [
        r
        for r in ctx.events_of.get(("exclusions", person_id), ())
        if isinstance(r, Exclusion)
        and r.exclusion_type == wanted
        and ctx.term_of(r.start_date) == index
    ]
    return len(found), found


def combine_stats(c: TermThreshold, stats: list[Stat]) -> Fraction | None:
    if c.measure in ("attendance", "absence"):
        if not stats or any(s is None for s in stats):
            return None
        possible = sum(s[0] for s in stats)  # type: ignore[index]
        absent = sum(s[1] for s in stats)  # type: ignore[index]
        return attendance_value(c.measure, absent, possible)
    return fraction(sum(stats))  # type: ignore[arg-type]


def compare(value: Fraction, comparison: str, threshold: Fraction) -> bool:
    # Boundaries are exact: 90% is not "above 90%"; 3 exclusions is not "below 3".
    if comparison == "above":
        return value > threshold
    if comparison == "below":
        return value < threshold
    if comparison == "at_least":
        return value >= threshold
    return value <= threshold


def fmt_measure(c: TermThreshold, value: Fraction | None) -> str:
    if value is None:
        return "no record"
    if c.measure in ("attendance", "absence"):
        return pct(value)
    return plural(int(value), "exclusion")


def indicator_term_threshold(c: TermThreshold, ctx: Context) -> list[Part]:
    terms = ctx.baseline_terms(c.terms)
    lo, hi = terms[0].start, terms[-1].end
    threshold = ctx.threshold(c.threshold, ctx.ref)
    noun = _measure_noun(c, threshold)
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        data = [term_stat(ctx, c, m.person_id, t.index) for t in terms]
        records = [r for _, rs in data for r in rs]
        if c.over == "overall":
            known = [s for s, _ in data if s is not None]
            value = combine_stats(c, known)
            if value is None or (not records and not compare(value, c.comparison, threshold)):
                continue
            ok = compare(value, c.comparison, threshold)
            detail = f"{fmt_measure(c, value)} over {', '.join(t.label for t, (s, _) in zip(terms, data, strict=True) if s is not None)}"
        else:
            if not records:
                continue
            values = [combine_stats(c, [s]) for s, _ in data]
            ok = all(v is not None and compare(v, c.comparison, threshold) for v in values)
            detail = ", ".join(
                f"{t.label} {fmt_measure(c, v)}" for t, v in zip(terms, values, strict=True)
            )
        verdict = noun if ok else f"not {noun[0].lower()}{noun[1:]}"
        parts.append(
            Part(
                MET if ok else NOT_MET,
                f"{m.display_name}: {detail} ({verdict}{' in each term' if c.over == 'each' else ''})",
                refs(records),
                person_id=m.person_id,
            )
        )
    return parts


def outcome_term_threshold(c: TermThreshold, ctx: Context, m: Member) -> Part:
    threshold = ctx.threshold(c.threshold, ctx.as_of)
    noun = _measure_noun(c, threshold)
    first = ctx.terms.last_ended_by(ctx.ref).index + 1  # the first term ending after attachment
    last = ctx.terms.last_ended_by(ctx.as_of).index
    n = c.terms
    name = m.display_name
    label = ctx.terms.by_index
    data = {i: term_stat(ctx, c, m.person_id, i) for i in range(first, last + 1)}
    window = [i for i in range(max(first, last - n + 1), last + 1)]
    used = refs(r for i in window for r in data[i][1])

    def value(indexes: list[int], projected: Stat = None) -> Fraction | None:
        stats = [
            data[i][0]
            if i <= last and data[i][0] is not None
            else (projected if i > last or projected is not None else None)
            for i in indexes
        ]
        return combine_stats(c, stats)

    def passes(v: Fraction | None) -> bool:
        return v is not None and compare(v, c.comparison, threshold)

    if c.over == "each":
        ok = {i: passes(value([i])) for i in data}
        known = {i: data[i][0] is not None for i in data}
        shown = (
            ", ".join(f"{label(i).label} {fmt_measure(c, value([i]))}" for i in window)
            or "no term has ended since attachment"
        )
        run = 0
        for i in range(last, first - 1, -1):
            if not ok[i]:
                break
            run += 1
        if run >= n:
            since = label(last - run + n).end
            return Part(
                MET,
                f"{name}: {noun} in each of {n} consecutive terms ({shown}); met since {english(since)}",
                used,
                met_since=since,
                earliest_met_on=since,
                person_id=m.person_id,
            )
        failed = [i for i in data if known[i] and not ok[i]]
        earliest = label(max(failed, default=first - 1) + n).end
        missing = tuple(
            f"{name}: {c.measure} record for {label(i).label}" for i in window if not known[i]
        )
        bad = [i for i in window if known[i] and not ok[i]]
        if bad:
            text = f"{name}: {noun} needed in each of {n} consecutive terms, not met in {', '.join(label(i).label for i in bad)} ({shown}); can be met on {english(earliest)} if the next terms meet it"
            return Part(
                NOT_MET,
                text,
                used,
                earliest_met_on=earliest,
                missing=missing + (f"{name}: {noun} in each of {n} consecutive terms",),
                person_id=m.person_id,
            )
        text = f"{name}: {noun} in {run} of {n} consecutive terms ({shown}); met on {english(earliest)} if it holds"
        more = n - run
        return Part(
            PROGRESSING,
            text,
            used,
            earliest_met_on=earliest,
            missing=missing
            + (f"{name}: {noun} in {more} more consecutive term{'s' if more != 1 else ''}",),
            person_id=m.person_id,
        )

    # Overall across the last N terms after attachment.
    def window_at(e: int) -> list[int]:
        return list(range(e - n + 1, e + 1))

    current = value(window) if len(window) == n else None
    labels = ", ".join(label(i).label for i in window)
    if passes(current):
        e = last
        while e - n >= first and passes(value(window_at(e - 1))):
            e -= 1
        since = label(e).end
        return Part(
            MET,
            f"{name}: {noun} over the last {n} terms ({labels}: {fmt_measure(c, current)}); met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
        )
    # Project: no more exclusions; attendance as in the latest term with a record.
    if c.measure in ("attendance", "absence"):
        projected = next(
            (data[i][0] for i in range(last, first - 1, -1) if data[i][0] is not None), None
        )
    else:
        projected = 0
    earliest = None
    if projected is not None:
        for e in range(max(first + n - 1, last), last + n + 1):
            if passes(value(window_at(e), projected)):
                earliest = label(e).end
                break
    so_far = value(window)
    counts_only_grow = c.measure.endswith("exclusions") and c.comparison in ("below", "at_most")
    failing = so_far is not None and not passes(so_far) and (len(window) == n or counts_only_grow)
    so_far_text = (
        f"{fmt_measure(c, so_far)} over {labels}"
        if window
        else "no term has ended since attachment"
    )
    when = f"; can be met on {english(earliest)} if it holds" if earliest else ""
    text = f"{name}: {noun} needed over {n} consecutive terms after attachment; {so_far_text}{when}"
    return Part(
        NOT_MET if failing else PROGRESSING,
        text,
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: {noun} over {n} consecutive terms",),
        person_id=m.person_id,
    )


def _measure_noun(c: TermThreshold, threshold: Fraction) -> str:
    return _measure_words(c.measure, c.comparison, threshold)


@lru_cache(maxsize=1024)  # a plan has a handful of measures and thresholds
def _measure_words(measure: str, comparison: str, threshold: Fraction) -> str:
    if measure in ("attendance", "absence"):
        return f"{measure.capitalize()} {COMPARISON_WORDS[comparison]} {num(threshold)}%"
    noun = "fixed-term exclusions" if measure == "fixed_term_exclusions" else "permanent exclusions"
    if comparison == "below":
        return f"Fewer than {num(threshold)} {noun}"
    return f"{noun.capitalize()} {COMPARISON_WORDS[comparison]} {num(threshold)}"
