"""School terms: attendance, absence and exclusions against a threshold over consecutive terms."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

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
    """The last N terms ended by attachment. Attendance and absence need a record for every one
    of them ("below 90% over 3 consecutive terms" must be shown over 3 terms, not over whichever
    terms happen to be on record): a child with a term missing is not identified by this measure."""
    terms = ctx.baseline_terms(c.terms)
    lo, hi = terms[0].start, terms[-1].end
    threshold = ctx.threshold(c.threshold, ctx.ref)
    noun = _measure_noun(c, threshold)
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        data = [term_stat(ctx, c, m.person_id, t.index) for t in terms]
        records = [r for _, rs in data for r in rs]
        if not records and c.measure in ("attendance", "absence"):
            continue
        missing_terms = [t.label for t, (s, _) in zip(terms, data, strict=True) if s is None]
        if c.over == "overall":
            value = combine_stats(c, [s for s, _ in data])
            if value is None:
                # Not shown over the N terms. A missing term could have been below the
                # threshold, so the problem is indicated: it cannot make the family eligible, and
                # it is not dropped from what a results claim must show either.
                partial = combine_stats(c, [s for s, _ in data if s is not None])
                parts.append(
                    Part(
                        NOT_MET,
                        f"no attendance record for {', '.join(missing_terms)}, so {noun.lower()} "
                        f"over {c.terms} consecutive terms cannot be shown "
                        f"({fmt_measure(c, partial)} over the terms on record)",
                        refs(records),
                        person_id=m.person_id,
                        subject=m.display_name,
                        indicated=True,
                    )
                )
                continue
            if not records and not compare(value, c.comparison, threshold):
                continue
            ok = compare(value, c.comparison, threshold)
            detail = f"{fmt_measure(c, value)} over {', '.join(t.label for t in terms)}"
        else:
            if not records:
                continue
            values = [combine_stats(c, [s]) for s, _ in data]
            ok = all(v is not None and compare(v, c.comparison, threshold) for v in values)
            detail = ", ".join(
                f"{t.label} {fmt_measure(c, v)}" for t, v in zip(terms, values, strict=True)
            )
        # When met, the indicator's label already says what the figures show.
        verdict = (
            ""
            if ok
            else f" (not {noun[0].lower()}{noun[1:]}{' in each term' if c.over == 'each' else ''})"
        )
        parts.append(
            Part(
                MET if ok else NOT_MET,
                f"{detail}{verdict}",
                refs(records),
                person_id=m.person_id,
                subject=m.display_name,
            )
        )
    return parts


def outcome_term_threshold(c: TermThreshold, ctx: Context, m: Member) -> Part:
    """Terms measured after attachment: from the first term starting on or after the attachment
    date (or the term in progress then, with ``count_term_in_progress``) to the last term ended
    by the review date. Exclusions already made in the current, unfinished term count too: a
    child cannot have "fewer than 3 exclusions" with 3 made this term."""
    threshold = ctx.threshold(c.threshold, ctx.as_of)
    noun = _measure_noun(c, threshold)
    first = ctx.first_outcome_term(c.count_term_in_progress)
    last = ctx.terms.last_ended_by(ctx.as_of).index
    n = c.terms
    name = m.display_name
    label = ctx.terms.by_index
    data = {i: term_stat(ctx, c, m.person_id, i) for i in range(first, last + 1)}
    window = [i for i in range(max(first, last - n + 1), last + 1)]
    counting = c.measure.endswith("exclusions")
    grows = counting and c.comparison in ("below", "at_most")  # counts only ever go up
    current = last + 1  # the term in progress (or the next one, in a holiday)
    partial: tuple[Stat, list[Evidence]] | None = None
    if counting and current >= first:
        stat, found = term_stat(ctx, c, m.person_id, current)
        if found:
            partial = (stat, found)
    used = refs([r for i in window for r in data[i][1]] + (list(partial[1]) if partial else []))
    known = dict(data)
    if partial:
        known[current] = partial
    partial_text = (
        f"; {fmt_measure(c, combine_stats(c, [partial[0]]))} so far in {label(current).label}, "
        "which has not ended"
        if partial
        else ""
    )

    def value(indexes: list[int], projected: Stat = None) -> Fraction | None:
        stats = [
            known[i][0]
            if i in known and known[i][0] is not None
            else (projected if i > last or projected is not None else None)
            for i in indexes
        ]
        return combine_stats(c, stats)

    def passes(v: Fraction | None) -> bool:
        return v is not None and compare(v, c.comparison, threshold)

    if c.over == "each":
        ok = {i: passes(value([i])) for i in data}
        recorded = {i: data[i][0] is not None for i in data}
        partial_fails = bool(partial and grows and not passes(value([current])))
        shown = (
            ", ".join(f"{label(i).label} {fmt_measure(c, value([i]))}" for i in window)
            or "no term has ended since attachment"
        ) + partial_text
        run = 0
        for i in range(last, first - 1, -1):
            if not ok[i]:
                break
            run += 1
        if run >= n and not partial_fails:
            since = label(last - run + n).end
            return Part(
                MET,
                f"{noun} in each of {n} consecutive terms ({shown})",
                used,
                met_since=since,
                earliest_met_on=since,
                person_id=m.person_id,
                subject=name,
            )
        failed = [i for i in data if recorded[i] and not ok[i]] + (
            [current] if partial_fails else []
        )
        earliest = label(max(failed, default=first - 1) + n).end
        missing = tuple(
            f"{name}: {c.measure} record for {label(i).label}" for i in window if not recorded[i]
        )
        bad = [i for i in window if recorded[i] and not ok[i]] + (
            [current] if partial_fails else []
        )
        if bad:
            return Part(
                NOT_MET,
                f"{noun} needed in each of {n} consecutive terms, not met in "
                f"{', '.join(label(i).label for i in bad)} ({shown})",
                used,
                earliest_met_on=earliest,
                missing=missing + (f"{name}: {noun} in each of {n} consecutive terms",),
                person_id=m.person_id,
                subject=name,
            )
        more = n - run
        return Part(
            PROGRESSING,
            f"{noun} in {run} of {n} consecutive terms ({shown})",
            used,
            earliest_met_on=earliest,
            missing=missing
            + (f"{name}: {noun} in {more} more consecutive term{'s' if more != 1 else ''}",),
            person_id=m.person_id,
            subject=name,
        )

    # Overall across the last N terms after attachment.
    def window_at(e: int) -> list[int]:
        return list(range(e - n + 1, e + 1))

    full = len(window) == n
    now_value = value(window) if full else None
    # With exclusions this term: the terms since the oldest of the window that is still in it.
    with_partial = [i for i in window_at(current) if i >= first] if partial else []
    partial_fails = bool(partial and grows and not passes(value(with_partial)))
    labels = ", ".join(label(i).label for i in window)
    if passes(now_value) and not partial_fails:
        e = last
        while e - n >= first and passes(value(window_at(e - 1))):
            e -= 1
        since = label(e).end
        return Part(
            MET,
            f"{noun} over the last {n} terms ({labels}: {fmt_measure(c, now_value)}){partial_text}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
            subject=name,
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
        for e in range(max(first + n - 1, last + 1), current + n + 1):
            if passes(value(window_at(e), projected)):
                earliest = label(e).end
                break
    so_far = value(window)
    failing = partial_fails or (so_far is not None and not passes(so_far) and (full or grows))
    so_far_text = (
        f"{fmt_measure(c, so_far)} over {labels}"
        if window
        else "no term has ended since attachment"
    ) + partial_text
    return Part(
        NOT_MET if failing else PROGRESSING,
        f"{noun} needed over {n} consecutive terms after attachment; {so_far_text}",
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: {noun} over {n} consecutive terms",),
        person_id=m.person_id,
        subject=name,
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
