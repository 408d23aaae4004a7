"""A keyworker's recorded professional judgement, as an indicator and as an outcome."""

from __future__ import annotations

from datetime import timedelta

from ..dates import english, first_day_clear_of
from ..evidence import (
    Judgement,
)
from ..model import (
    JudgementCriterion,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import (
    refs,
)


def judgement_records(
    ctx: Context, code: str, person_id: int | None, family: bool
) -> list[Judgement]:
    records = (
        ctx.events.get("judgement", ())
        if family
        else ctx.events_of.get(("judgement", person_id), ())
    )
    return [j for j in records if j.code == code]  # type: ignore[misc, attr-defined]


def indicator_judgement(c: JudgementCriterion, ctx: Context) -> list[Part]:
    # Assessments are recorded at or after attachment, so judgements up to as_of count (documented).
    accepted = set(c.values)
    if c.scope == "family":
        found = [j for j in judgement_records(ctx, c.code, None, True) if j.value in accepted]
        if found:
            j = found[0]
            return [
                Part(
                    MET,
                    f"Keyworker recorded {c.code.replace('_', ' ')} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                )
            ]
        return [
            Part(
                NOT_MET,
                f"No keyworker judgement {c.code.replace('_', ' ')} recorded as {' or '.join(c.values)}",
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (ctx.ref, ctx.as_of)):
        found = [
            j for j in judgement_records(ctx, c.code, m.person_id, False) if j.value in accepted
        ]
        if found:
            j = found[0]
            parts.append(
                Part(
                    MET,
                    f"{m.display_name}: keyworker recorded {c.code.replace('_', ' ')} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                    person_id=m.person_id,
                )
            )
    return parts


def outcome_judgement(c: JudgementCriterion, ctx: Context, m: Member | None) -> Part:
    family = m is None or c.scope == "family"
    records = judgement_records(ctx, c.code, m.person_id if m else None, family)
    who = "" if m is None else f"{m.display_name}: "
    pid = m.person_id if m else None
    label = c.code.replace("_", " ")
    baseline_index = None
    if c.scale:
        scored = [j for j in records if j.value in c.scale]
        if scored:
            baseline_index = c.scale.index(scored[0].value)

    def qualifies(j: Judgement) -> bool:
        if c.values and j.value in c.values:
            return True
        if c.scale and c.improve_by and baseline_index is not None and j.value in c.scale:
            return c.scale.index(j.value) >= baseline_index + c.improve_by
        return False

    after = [
        j
        for j in records
        if j.recorded_on >= ctx.ref and (not c.scale or j is not records[0] or c.values)
    ]
    used = refs(records)
    need = (
        f"{label} recorded as {' or '.join(c.values)}"
        if c.values
        else f"{label} improved by {c.improve_by} from {c.scale[baseline_index] if baseline_index is not None else 'the first assessment'}"
    )
    if not after:
        return Part(
            PROGRESSING,
            f"{who}no keyworker judgement of {label} recorded since attachment",
            used,
            missing=(f"{who}keyworker's judgement: {need}",),
            person_id=pid,
        )
    latest = after[-1]
    if not qualifies(latest):
        return Part(
            NOT_MET,
            f"{who}keyworker recorded {label} as {latest.value} on {english(latest.recorded_on)}; needs {need}",
            used,
            missing=(f"{who}keyworker's judgement: {need}",),
            person_id=pid,
        )
    run_start = latest
    for j in reversed(after):
        if not qualifies(j):
            break
        run_start = j
    if c.sustain:
        done = (
            first_day_clear_of(run_start.recorded_on, c.sustain.months)
            if c.sustain.months
            else run_start.recorded_on + timedelta(days=7 * (c.sustain.weeks or 0))
        )
    else:
        done = run_start.recorded_on
    text = f"{who}keyworker recorded {label} as {latest.value} on {english(latest.recorded_on)}"
    if c.sustain:
        text += f" (since {english(run_start.recorded_on)}, held for {c.sustain.describe()}"
        text += f" on {english(done)})" if done > ctx.as_of else ")"
    if done <= ctx.as_of:
        return Part(
            MET,
            f"{text}; met since {english(done)}",
            used,
            met_since=done,
            earliest_met_on=done,
            person_id=pid,
        )
    return Part(
        PROGRESSING,
        f"{text}; met on {english(done)} if it holds",
        used,
        earliest_met_on=done,
        missing=(f"{who}{label} held to {english(done)}",),
        person_id=pid,
    )
