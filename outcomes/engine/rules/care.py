"""Children's social care plans (CIN < CP < LAC): not escalated, or stepped down, and held.

A child's plans are read whatever their household membership (``Context.plan_spans_of``): a child
taken into care is often recorded as leaving the household, and "does not become Looked After"
(Oxfordshire) must still see that Looked After episode.
"""

from __future__ import annotations

from ..dates import ONE_DAY, english, overlaps
from ..model import PLAN_LEVELS, ChildPlanLevel
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import refs, window_rule


def _level(span) -> int | None:
    plan = span.record.plan
    return PLAN_LEVELS.index(plan) if plan in PLAN_LEVELS else None


def outcome_child_plan_level(c: ChildPlanLevel, ctx: Context, m: Member) -> Part | None:
    spans = [s for s in ctx.plan_spans_of.get(m.person_id, ()) if _level(s) is not None]
    at_ref = [s for s in spans if overlaps(s.start, s.end, ctx.ref, ctx.ref)]
    lo, hi = ctx.baseline_span(None)
    in_base = at_ref or [s for s in spans if overlaps(s.start, s.end, lo, hi)]
    if not in_base:
        return None  # no plan at the baseline: the rule does not apply to this child
    level = max(_level(s) for s in in_base)  # type: ignore[type-var]
    base_name = PLAN_LEVELS[level]
    if c.mode == "not_escalated":
        bad = [s for s in spans if _level(s) > level]  # type: ignore[operator]
    else:
        bad = [s for s in spans if _level(s) >= level]  # type: ignore[operator]
    bad_periods = [(s.start, s.last_day) for s in bad]
    now, since, earliest, _ = window_rule(ctx, c.window.months, c.window.weeks, [], bad_periods, 0)
    used = refs(s.record for s in spans if s.last_day >= lo)
    name = m.display_name
    open_bad = [s for s in bad if s.end is None]
    left = "" if m.is_member_on(ctx.as_of) else " (no longer in the household)"
    if c.mode == "stepped_down" and c.step_down_to and not open_bad and bad:
        # "Stepped down to a Child in Need Plan": on the day after the last plan at the
        # attachment level ended, the child must be on a plan at one of these levels.
        after = max(s.last_day for s in bad) + ONE_DAY
        to = [
            s for s in spans if s.record.plan in c.step_down_to and s.start <= after <= s.last_day
        ]  # type: ignore[attr-defined]
        if not to:
            return Part(
                NOT_MET,
                f"{base_name} plan ended on {english(after - ONE_DAY)} without a step down to "
                f"a {' or '.join(c.step_down_to)} plan{left}",
                used,
                missing=(f"{name}: step down to a {' or '.join(c.step_down_to)} plan",),
                person_id=m.person_id,
                subject=name,
            )
    if now:
        what = (
            f"not escalated beyond {base_name}"
            if c.mode == "not_escalated"
            else f"stepped down from {base_name}"
        )
        return Part(
            MET,
            f"{what} for {c.window.describe()}{left}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
            subject=name,
        )
    if c.mode == "not_escalated":
        escalated = [s for s in bad if s.last_day > ctx.ref]
        if escalated:
            s = escalated[-1]
            return Part(
                NOT_MET,
                f"escalated from {base_name} to {s.record.plan} on {english(s.start)}"  # type: ignore[attr-defined]
                f"{' (still open)' if s.end is None else ''}{left}",
                used,
                earliest_met_on=earliest,
                missing=(f"{name}: {c.window.describe()} without escalation",),
                person_id=m.person_id,
                subject=name,
            )
        return Part(
            PROGRESSING,
            f"on {base_name} at attachment, not escalated so far; {c.window.describe()} of the "
            f"work are not over yet",
            used,
            earliest_met_on=earliest,
            missing=(f"{name}: {c.window.describe()} without escalation (to {english(earliest)})",),
            person_id=m.person_id,
            subject=name,
        )
    if open_bad:
        s = open_bad[-1]
        return Part(
            PROGRESSING,
            f"still on a {s.record.plan} plan (from {english(s.start)}); not yet stepped down{left}",  # type: ignore[attr-defined]
            used,
            missing=(
                f"{name}: step down from the {s.record.plan} plan, then {c.window.describe()} without returning",  # type: ignore[attr-defined]
            ),
            person_id=m.person_id,
            subject=name,
        )
    last_end = max(s.last_day for s in bad)
    return Part(
        PROGRESSING,
        f"stepped down from {base_name} on {english(last_end + ONE_DAY)}; to be held for "
        f"{c.window.describe()}",
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: step-down held to {english(earliest)}",),
        person_id=m.person_id,
        subject=name,
    )
