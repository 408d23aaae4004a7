"""Children's social care plans: not escalated, or stepped down, and held."""

from __future__ import annotations

from ..dates import ONE_DAY, english, overlaps
from ..model import (
    PLAN_LEVELS,
    ChildPlanLevel,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import (
    refs,
    window_rule,
)


def outcome_child_plan_level(c: ChildPlanLevel, ctx: Context, m: Member) -> Part | None:
    spans = ctx.matching_spans("child_plans", (), (), m.person_id, family=False)
    at_ref = [s for s in spans if overlaps(s.start, s.end, ctx.ref, ctx.ref)]
    lo, hi = ctx.baseline_span(None)
    in_base = at_ref or [s for s in spans if overlaps(s.start, s.end, lo, hi)]
    if not in_base:
        return None  # no plan at the baseline: the rule does not apply to this child
    level = max(PLAN_LEVELS.index(s.record.plan) for s in in_base if s.record.plan in PLAN_LEVELS)  # type: ignore[attr-defined]
    base_name = PLAN_LEVELS[level]
    if c.mode == "not_escalated":
        bad = [
            s
            for s in spans
            if s.record.plan in PLAN_LEVELS and PLAN_LEVELS.index(s.record.plan) > level
        ]  # type: ignore[attr-defined]
    else:
        bad = [
            s
            for s in spans
            if s.record.plan in PLAN_LEVELS and PLAN_LEVELS.index(s.record.plan) >= level
        ]  # type: ignore[attr-defined]
    bad_periods = [(s.start, s.last_day) for s in bad]
    now, since, earliest, _ = window_rule(ctx, c.window.months, c.window.weeks, [], bad_periods, 0)
    used = refs(s.record for s in spans if s.last_day >= lo)
    name = m.display_name
    open_bad = [s for s in bad if s.end is None]
    if now:
        what = (
            f"not escalated beyond {base_name}"
            if c.mode == "not_escalated"
            else f"stepped down from {base_name}"
        )
        return Part(
            MET,
            f"{name}: {what} for {c.window.describe()}; met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
        )
    if c.mode == "not_escalated":
        escalated = [s for s in bad if s.last_day > ctx.ref]
        if escalated:
            s = escalated[-1]
            when = f"; can be met on {english(earliest)} if it holds" if earliest else ""
            return Part(
                NOT_MET,
                f"{name}: escalated from {base_name} to {s.record.plan} on {english(s.start)}{' (still open)' if s.end is None else ''}{when}",
                used,
                earliest_met_on=earliest,
                missing=(f"{name}: {c.window.describe()} without escalation",),
                person_id=m.person_id,
            )  # type: ignore[attr-defined]
        return Part(
            PROGRESSING,
            f"{name}: on {base_name} at attachment, not escalated so far; {c.window.describe()} completes on {english(earliest)}",
            used,
            earliest_met_on=earliest,
            missing=(f"{name}: {c.window.describe()} without escalation (to {english(earliest)})",),
            person_id=m.person_id,
        )
    if open_bad:
        s = open_bad[-1]
        return Part(
            PROGRESSING,
            f"{name}: still on a {s.record.plan} plan (from {english(s.start)}); not yet stepped down",
            used,
            missing=(
                f"{name}: step down from the {s.record.plan} plan, then {c.window.describe()} without returning",
            ),
            person_id=m.person_id,
        )  # type: ignore[attr-defined]
    last_end = max(s.last_day for s in bad)
    return Part(
        PROGRESSING,
        f"{name}: stepped down from {base_name} on {english(last_end + ONE_DAY)}; held for {c.window.describe()} on {english(earliest)} if it holds",
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: step-down held to {english(earliest)}",),
        person_id=m.person_id,
    )
