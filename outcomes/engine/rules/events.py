"""Dated events (offences, anti-social behaviour, domestic abuse call-outs): counts before attachment, reductions and "no further events" after."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

from ..dates import english, window_start
from ..model import (
    EVIDENCE_NOUNS,
    Applicability,
    CountReduction,
    EventCount,
    NoEvents,
    Window,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import (
    event_noun,
    num,
    pct,
    refs,
    window_length,
    window_rule,
    window_text,
)


def indicator_event_count(c: EventCount, ctx: Context) -> list[Part]:
    lo, hi = ctx.baseline_span(c.window)
    span_text = f"{english(lo)} to {english(hi)}"
    if c.scope == "family":
        records = [
            r
            for r in ctx.matching_events(
                c.evidence, c.where, c.unless, c.applies_to, None, family=True
            )
            if lo <= r.event_date <= hi
        ]  # type: ignore[operator]
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        who = " ".join(
            sorted(
                {ctx.members[r.person_id].display_name for r in records if r.person_id is not None}
            )
        )
        return [
            Part(
                status,
                f"{event_noun(c.evidence, n)} across the family ({span_text}); at least {c.at_least} needed"
                + (f"; involving {who}" if who and status == MET else ""),
                refs(records),
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        records = [
            r
            for r in ctx.matching_events(
                c.evidence, c.where, c.unless, Applicability(), m.person_id, family=False
            )
            if lo <= r.event_date <= hi
        ]  # type: ignore[operator]
        if not records:
            continue
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        parts.append(
            Part(
                status,
                f"{m.display_name}: {event_noun(c.evidence, n)} ({span_text}); at least {c.at_least} needed",
                refs(records),
                person_id=m.person_id,
            )
        )
    return parts


def outcome_no_events(c: NoEvents, ctx: Context, m: Member | None) -> Part:
    family = m is None
    records = ctx.matching_events(
        c.evidence, c.where, c.unless, c.applies_to, m.person_id if m else None, family=family
    )
    after = [r for r in records if r.event_date > ctx.ref]  # type: ignore[operator]
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = window_rule(ctx, c.window.months, c.window.weeks, dates, [], 0)  # type: ignore[arg-type]
    who = "the family" if family else m.display_name  # type: ignore[union-attr]
    label, span = window_text(c.window.months, c.window.weeks, ctx.as_of)
    noun = EVIDENCE_NOUNS[c.evidence]
    in_window = (
        [r for r in after if r.event_date >= window_start(ctx.as_of, c.window.months)]
        if c.window.months
        else [r for r in after if r.event_date > ctx.as_of - timedelta(days=7 * c.window.weeks)]
    )  # type: ignore[operator]
    used = refs(in_window)
    prefix = f"{who}: " if not family else ""
    if now:
        return Part(
            MET,
            f"{prefix}no {noun} in {label} ({span}); met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id if m else None,
        )
    if n:
        last = max(r.event_date for r in in_window)  # type: ignore[type-var]
        when = f"; can be met on {english(earliest)} if there are no more" if earliest else ""
        return Part(
            NOT_MET,
            f"{prefix}{event_noun(c.evidence, n)} in {label} ({span}), the latest on {english(last)}{when}",
            used,
            earliest_met_on=earliest,
            missing=(f"{'No' if family else who + ': no'} {noun} for {c.window.describe()}",),
            person_id=m.person_id if m else None,
        )
    return Part(
        PROGRESSING,
        f"{prefix}no {noun} since attachment on {english(ctx.ref)}; {c.window.describe()} completes on {english(earliest)}",
        used,
        earliest_met_on=earliest,
        missing=(f"{prefix}{c.window.describe()} with no {noun} (to {english(earliest)})",),
        person_id=m.person_id if m else None,
    )


def outcome_count_reduction(c: CountReduction, ctx: Context, m: Member | None) -> Part:
    family = m is None
    records = ctx.matching_events(
        c.evidence, c.where, c.unless, c.applies_to, m.person_id if m else None, family=family
    )
    base_window = c.baseline or Window(months=ctx.plan.baseline.months)
    b_lo, b_hi = ctx.baseline_span(base_window)
    baseline = [r for r in records if b_lo <= r.event_date <= b_hi]  # type: ignore[operator]
    after = [r for r in records if r.event_date > ctx.ref]  # type: ignore[operator]
    b = len(baseline)
    ratio = window_length(c.window) / window_length(base_window)
    expected = (
        Fraction(b) * ratio
    )  # the baseline rate over a window as long as the comparison window
    allowed_frac = expected * (1 - Fraction(c.reduction) / 100)
    allowed = int(allowed_frac)  # whole events: at most floor(allowed)
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = window_rule(ctx, c.window.months, c.window.weeks, dates, [], allowed)
    label, span = window_text(c.window.months, c.window.weeks, ctx.as_of)
    who = "across the family" if family else f"for {m.display_name}"  # type: ignore[union-attr]
    noun = EVIDENCE_NOUNS[c.evidence]
    w_lo = (
        window_start(ctx.as_of, c.window.months)
        if c.window.months
        else ctx.as_of - timedelta(days=7 * c.window.weeks - 1)
    )  # type: ignore[operator]
    in_window = [r for r in after if r.event_date >= w_lo]  # type: ignore[operator]
    achieved = (
        (1 - Fraction(n) / expected) * 100
        if expected
        else (Fraction(100) if n == 0 else Fraction(0))
    )
    base_text = f"{b} in the {base_window.describe()} before attachment ({english(b_lo)} to {english(b_hi)}; {num(expected)} per {c.window.describe()})"
    figures = f"{noun.capitalize()} {who}: {base_text}; {n} in {label} ({span}), a {pct(max(achieved, Fraction(-999)))} reduction; at least {num(Fraction(c.reduction))}% needed (at most {allowed})"
    used = refs([*baseline, *in_window])
    pid = m.person_id if m else None
    if now:
        return Part(
            MET,
            f"{figures}; met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=pid,
        )
    when = f"; can be met on {english(earliest)} if there are no more" if earliest else ""
    status = NOT_MET if n > allowed else PROGRESSING
    return Part(
        status,
        f"{figures}{when}",
        used,
        earliest_met_on=earliest,
        missing=(
            f"A {num(Fraction(c.reduction))}% reduction in {noun} {who} held for {c.window.describe()}",
        ),
        person_id=pid,
    )
