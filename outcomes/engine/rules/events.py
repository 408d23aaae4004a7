"""Dated events (offences, anti-social behaviour, domestic abuse call-outs): counts before
attachment, reductions, "no further events" and "no escalation" after it.

Ages. ``age_at`` says which date a member's age band is judged on: ``event`` (the default for
family-level counts: an offence at 17 is a young person's offence), ``attachment`` (the default
for person-level counts: the members in the band when the work started), or ``either``.

Followers. A reduction compares the last window with the baseline; everyone whose events made up
the baseline stays counted in the window whatever their age by then, so a young person who turns
18 and offends again is still measured ("the same measure used to claim", Oxfordshire
paragraph 18). Person-level reductions count every later event of the person.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from fractions import Fraction

from ..dates import english, window_start
from ..evidence import Evidence
from ..model import (
    EVIDENCE_NOUNS,
    CountReduction,
    EventCount,
    NoEscalation,
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


def _age_at(c, family: bool) -> str:
    return c.age_at or ("event" if family else "attachment")


def _in_band(ctx: Context, c, m: Member, records: list[Evidence], age_at: str) -> list[Evidence]:
    """A person's records whose date fits the criterion's age band (``age_at`` per event)."""
    if c.applies_to.min_age is None and c.applies_to.max_age is None:
        return records
    if age_at == "attachment":
        return records  # the member was chosen by their age at attachment
    return [r for r in records if ctx.fits(m, c.applies_to, r.event_date, age_at)]  # type: ignore[arg-type]


def indicator_event_count(c: EventCount, ctx: Context) -> list[Part]:
    """Events in the baseline. Where the age band, judged on the criterion's date, leaves out an
    event it would include judged on the other date (an offence at 17 by a member who is 18 at
    attachment), the indicator is *indicated*: not enough to identify, but not dropped either."""
    parts = _event_count_parts(c, ctx, _age_at(c, c.scope == "family"))
    banded = c.applies_to.min_age is not None or c.applies_to.max_age is not None
    if any(p.status == MET for p in parts) or not banded or c.age_at == "either":
        return parts
    if not ctx.events.get(c.evidence):
        return parts  # no such events at all: nothing the other date could count
    loose = [p for p in _event_count_parts(c, ctx, "either") if p.status == MET]
    return parts + [
        replace(
            p,
            status=NOT_MET,
            facts=f"{p.facts}, counting ages on both the event and the attachment date",
            indicated=True,
        )
        for p in loose
    ]


def _event_count_parts(c: EventCount, ctx: Context, age_at: str) -> list[Part]:
    lo, hi = ctx.baseline_span(c.window)
    span_text = f"{english(lo)} to {english(hi)}"
    if c.scope == "family":
        records = [
            r
            for r in ctx.matching_events(
                c.evidence,
                c.where,
                c.unless,
                c.applies_to,
                None,
                family=True,
                age_at=age_at,
            )
            if lo <= r.event_date <= hi  # type: ignore[operator]
        ]
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        people = sorted({r.person_id for r in records if r.person_id is not None})
        who = ", ".join(ctx.members[p].display_name for p in people)
        return [
            Part(
                status,
                f"{event_noun(c.evidence, n)} across the family ({span_text}); at least {c.at_least} needed"
                + (f"; involving {who}" if who and status == MET else ""),
                refs(records),
                members=tuple(people) if status == MET else (),
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi), age_at):
        records = [
            r
            for r in ctx.matching_events(
                c.evidence, c.where, c.unless, c.applies_to, m.person_id, family=False
            )
            if lo <= r.event_date <= hi  # type: ignore[operator]
        ]
        records = _in_band(ctx, c, m, records, age_at)
        if not records:
            continue
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        parts.append(
            Part(
                status,
                f"{event_noun(c.evidence, n)} ({span_text}); at least {c.at_least} needed",
                refs(records),
                person_id=m.person_id,
                subject=m.display_name,
            )
        )
    return parts


def _window_first_day(window: Window, as_of) -> object:
    if window.months:
        return window_start(as_of, window.months)
    return as_of - timedelta(days=7 * window.weeks - 1)  # type: ignore[operator]


def outcome_no_events(c: NoEvents, ctx: Context, m: Member | None) -> Part:
    family = m is None
    records = ctx.matching_events(
        c.evidence,
        c.where,
        c.unless,
        c.applies_to,
        m.person_id if m else None,
        family=family,
        age_at=_age_at(c, True),
    )
    after = [r for r in records if r.event_date > ctx.ref]  # type: ignore[operator]
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = window_rule(ctx, c.window.months, c.window.weeks, dates, [], 0)  # type: ignore[arg-type]
    label, span = window_text(c.window.months, c.window.weeks, ctx.as_of)
    noun = EVIDENCE_NOUNS[c.evidence]
    lo = _window_first_day(c.window, ctx.as_of)
    in_window = [r for r in after if r.event_date >= lo]  # type: ignore[operator]
    subject = m.display_name if m else ""
    pid = m.person_id if m else None
    if now:
        return Part(
            MET,
            f"no {noun} in {label} ({span})",
            refs(in_window),
            met_since=since,
            earliest_met_on=since,
            person_id=pid,
            subject=subject,
        )
    if n:
        last = max(r.event_date for r in in_window)  # type: ignore[type-var]
        return Part(
            NOT_MET,
            f"{event_noun(c.evidence, n)} in {label} ({span}), the latest on {english(last)}",
            refs(in_window),
            earliest_met_on=earliest,
            missing=(f"{subject + ': ' if subject else ''}no {noun} for {c.window.describe()}",),
            person_id=pid,
            subject=subject,
        )
    return Part(
        PROGRESSING,
        f"no {noun} since attachment on {english(ctx.ref)}; {c.window.describe()} of the work are not over yet",
        refs(in_window),
        earliest_met_on=earliest,
        missing=(
            f"{subject + ': ' if subject else ''}{c.window.describe()} with no {noun} (to {english(earliest)})",
        ),
        person_id=pid,
        subject=subject,
    )


def _baseline_and_window(
    c: CountReduction | NoEscalation, ctx: Context, m: Member | None
) -> tuple[list[Evidence], list[Evidence], Window, tuple]:
    """(baseline records, records after attachment, baseline window, (from, to)) for a
    reduction-like rule, with followers for family-level rules (module docstring)."""
    family = m is None
    age_at = _age_at(c, True) if family else (c.age_at or "attachment")
    base_window = c.baseline or Window(months=ctx.plan.baseline.months)
    b_lo, b_hi = ctx.baseline_span(base_window)
    baseline_where = c.where + getattr(c, "baseline_where", ())
    if family:
        baseline = [
            r
            for r in ctx.matching_events(
                c.evidence,
                baseline_where,
                c.unless,
                c.applies_to,
                None,
                family=True,
                age_at=age_at,
            )
            if b_lo <= r.event_date <= b_hi  # type: ignore[operator]
        ]
        followers = frozenset(r.person_id for r in baseline if r.person_id is not None)
        later = [
            r
            for r in ctx.matching_events(
                c.evidence,
                c.where,
                c.unless,
                c.applies_to,
                None,
                family=True,
                age_at=age_at,
                followers=followers,
            )
            if r.event_date > ctx.ref  # type: ignore[operator]
        ]
        return baseline, later, base_window, (b_lo, b_hi)
    own = ctx.matching_events(
        c.evidence, c.where, c.unless, c.applies_to, m.person_id, family=False
    )
    baseline = [
        r
        for r in ctx.matching_events(
            c.evidence, baseline_where, c.unless, c.applies_to, m.person_id, family=False
        )
        if b_lo <= r.event_date <= b_hi  # type: ignore[operator]
    ]
    baseline = _in_band(ctx, c, m, baseline, age_at)
    later = [r for r in own if r.event_date > ctx.ref]  # type: ignore[operator]
    return baseline, later, base_window, (b_lo, b_hi)


def outcome_count_reduction(c: CountReduction, ctx: Context, m: Member | None) -> Part:
    family = m is None
    baseline, after, base_window, (b_lo, b_hi) = _baseline_and_window(c, ctx, m)
    b = len(baseline)
    ratio = window_length(c.window) / window_length(base_window)
    expected = Fraction(b) * ratio  # the baseline rate over a window as long as the comparison
    allowed_frac = expected * (1 - Fraction(c.reduction) / 100)
    allowed = int(allowed_frac)  # whole events: at most floor(allowed)
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = window_rule(ctx, c.window.months, c.window.weeks, dates, [], allowed)
    label, span = window_text(c.window.months, c.window.weeks, ctx.as_of)
    noun = EVIDENCE_NOUNS[c.evidence]
    lo = _window_first_day(c.window, ctx.as_of)
    in_window = [r for r in after if r.event_date >= lo]  # type: ignore[operator]
    achieved = (
        (1 - Fraction(n) / expected) * 100
        if expected
        else (Fraction(100) if n == 0 else Fraction(0))
    )
    where = "across the family" if family else ""
    base_text = f"{b} in the {base_window.describe()} before attachment ({english(b_lo)} to {english(b_hi)}; {num(expected)} per {c.window.describe()})"
    change = (
        f"a {pct(achieved)} reduction"
        if achieved >= 0
        else f"an increase of {pct(min(-achieved, Fraction(999)))}"
    )
    facts = (
        f"{noun}{' ' + where if where else ''}: {base_text}; {n} in {label} ({span}), {change}; "
        f"at least {num(Fraction(c.reduction))}% needed (at most {allowed})"
    )
    used = refs([*baseline, *in_window])
    pid = m.person_id if m else None
    subject = m.display_name if m else ""
    if now:
        return Part(
            MET,
            facts,
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=pid,
            subject=subject,
        )
    status = NOT_MET if n > allowed else PROGRESSING
    who = "across the family" if family else f"for {subject}"
    return Part(
        status,
        facts,
        used,
        earliest_met_on=earliest,
        missing=(
            f"A {num(Fraction(c.reduction))}% reduction in {noun} {who} held for {c.window.describe()}",
        ),
        person_id=pid,
        subject=subject,
    )


def outcome_no_escalation(c: NoEscalation, ctx: Context, m: Member | None) -> Part:
    """No event in the last window above the highest level of the baseline.

    Text on no level of the scale is read the way that cannot make a claim valid: in the baseline
    as the lowest level, in the window as above every level (an escalation)."""
    scale = ctx.plan.scale(c.scale)
    baseline, after, base_window, (b_lo, b_hi) = _baseline_and_window(c, ctx, m)
    top = len(scale.levels)  # "above every level": unknown text after attachment

    def level(r: Evidence, *, in_baseline: bool) -> int:
        found = scale.level_of(getattr(r, c.field))
        if found is None:
            return 0 if in_baseline else top
        return found

    base_level = max((level(r, in_baseline=True) for r in baseline), default=0)
    bad = [r for r in after if level(r, in_baseline=False) > base_level]
    dates = sorted(r.event_date for r in bad)  # type: ignore[type-var]
    now, since, earliest, n = window_rule(ctx, c.window.months, c.window.weeks, dates, [], 0)
    label, span = window_text(c.window.months, c.window.weeks, ctx.as_of)
    lo = _window_first_day(c.window, ctx.as_of)
    bad_now = [r for r in bad if r.event_date >= lo]  # type: ignore[operator]
    field = c.field.replace("_", " ")
    base_name = scale.levels[base_level].level.replace("_", " ")
    facts = f"highest {field} in the {base_window.describe()} before attachment: {base_name}"
    pid = m.person_id if m else None
    subject = m.display_name if m else ""
    used = refs([*baseline, *[r for r in after if r.event_date >= lo]])  # type: ignore[operator]
    if now:
        return Part(
            MET,
            f"{facts}; none higher in {label} ({span})",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=pid,
            subject=subject,
        )
    if bad_now:
        shown = "; ".join(
            f"{getattr(r, c.field) or 'none'} on {english(r.event_date)}"  # type: ignore[arg-type]
            + ("" if scale.level_of(getattr(r, c.field)) is not None else " (not on the scale)")
            for r in bad_now
        )
        return Part(
            NOT_MET,
            f"{facts}; higher in {label} ({span}): {shown}",
            used,
            earliest_met_on=earliest,
            missing=(f"No escalation in {field} for {c.window.describe()}",),
            person_id=pid,
            subject=subject,
        )
    return Part(
        PROGRESSING,
        f"{facts}; none higher since attachment; {c.window.describe()} of the work are not over yet",
        used,
        earliest_met_on=earliest,
        missing=(f"{c.window.describe()} with no escalation in {field} (to {english(earliest)})",),
        person_id=pid,
        subject=subject,
    )
