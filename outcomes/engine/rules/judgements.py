"""A keyworker's recorded professional judgement, as an indicator and as an outcome.

Identifying judgements may be recorded at or after attachment (assessments happen then).
Outcome judgements must be recorded *after* the attachment date: one recorded on the day work
started cannot show progress made by the work. On a ``scale``, the value to improve on is the
latest recorded on or before the attachment date, or else the first recorded after it.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..dates import english, first_day_clear_of, window_start
from ..evidence import Judgement
from ..model import JudgementCriterion, Window
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import refs


def judgement_records(
    ctx: Context, code: str, person_id: int | None, family: bool
) -> list[Judgement]:
    records = (
        ctx.events.get("judgement", ())
        if family
        else ctx.events_of.get(("judgement", person_id), ())
    )
    return [j for j in records if j.code == code]  # type: ignore[misc, attr-defined]


def _words(code: str) -> str:
    return code.replace("_", " ")


def indicator_judgement(c: JudgementCriterion, ctx: Context) -> list[Part]:
    accepted = set(c.values)
    if c.scope == "family":
        found = [j for j in judgement_records(ctx, c.code, None, True) if j.value in accepted]
        if found:
            j = found[0]
            return [
                Part(
                    MET,
                    f"keyworker recorded {_words(c.code)} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                    members=tuple(sorted({r.person_id for r in found if r.person_id})),
                )
            ]
        return [
            Part(
                NOT_MET,
                f"no keyworker judgement {_words(c.code)} recorded as {' or '.join(c.values)}",
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
                    f"keyworker recorded {_words(c.code)} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                    person_id=m.person_id,
                    subject=m.display_name,
                )
            )
    return parts


def _held_until(start: date, window: Window) -> date:
    """The day a judgement recorded on ``start`` has been held for ``window``."""
    if window.months:
        return first_day_clear_of(start, window.months)
    return start + timedelta(days=7 * (window.weeks or 0))


def outcome_judgement(
    c: JudgementCriterion, ctx: Context, m: Member | None, *, not_before: date | None = None
) -> Part:
    """``not_before``: claim conditions with ``after_outcomes_met`` only accept judgements
    recorded on or after this day (None with the option: the outcomes are not all met yet)."""
    family = m is None or c.scope == "family"
    records = judgement_records(ctx, c.code, m.person_id if m else None, family)
    subject = "" if m is None else m.display_name
    pid = m.person_id if m else None
    label = _words(c.code)
    baseline_record = None
    if c.scale:
        scored = [j for j in records if j.value in c.scale]
        before = [j for j in scored if j.recorded_on <= ctx.ref]
        after_ref = [j for j in scored if j.recorded_on > ctx.ref]
        baseline_record = before[-1] if before else (after_ref[0] if after_ref else None)
    baseline_index = c.scale.index(baseline_record.value) if baseline_record else None

    def qualifies(j: Judgement) -> bool:
        if c.values and j.value in c.values:
            return True
        if c.scale and c.improve_by and baseline_index is not None and j.value in c.scale:
            return c.scale.index(j.value) >= baseline_index + c.improve_by
        return False

    after = [j for j in records if j.recorded_on > ctx.ref and j is not baseline_record]
    used = refs(records)
    need = (
        f"{label} recorded as {' or '.join(c.values)}"
        if c.values
        else f"{label} improved by {c.improve_by} from {baseline_record.value if baseline_record else 'the first assessment'}"
    )
    missing = (f"{subject + ': ' if subject else ''}keyworker's judgement: {need}",)
    if c.after_outcomes_met:
        if not_before is None:
            return Part(
                PROGRESSING,
                f"to be recorded once every problem the claim rests on is met; {label} is needed then",
                used,
                missing=missing,
                person_id=pid,
                subject=subject,
            )
        after = [j for j in after if j.recorded_on >= not_before]
    if not after:
        since_when = (
            f"since every problem was met on {english(not_before)}"
            if c.after_outcomes_met and not_before
            else f"since attachment on {english(ctx.ref)}"
        )
        return Part(
            PROGRESSING,
            f"no keyworker judgement of {label} recorded {since_when}",
            used,
            missing=missing,
            person_id=pid,
            subject=subject,
        )
    latest = after[-1]
    recorded = f"keyworker recorded {label} as {latest.value} on {english(latest.recorded_on)}"
    if not qualifies(latest):
        return Part(
            NOT_MET,
            f"{recorded}; needs {need}",
            used,
            missing=missing,
            person_id=pid,
            subject=subject,
        )
    run = [latest]
    for j in reversed(after[:-1]):
        if not qualifies(j):
            break
        run.append(j)
    run.reverse()  # the unbroken run of qualifying judgements, earliest first
    if c.covers is not None:
        return _covering(c, ctx, run, recorded, used, missing, pid, subject)
    if c.sustain:
        done = _held_until(run[0].recorded_on, c.sustain)
        facts = f"{recorded} (since {english(run[0].recorded_on)}, held for {c.sustain.describe()})"
    else:
        done = run[0].recorded_on
        facts = recorded
    if done <= ctx.as_of:
        return Part(
            MET,
            facts,
            used,
            met_since=done,
            earliest_met_on=done,
            person_id=pid,
            subject=subject,
        )
    return Part(
        PROGRESSING,
        facts,
        used,
        earliest_met_on=done,
        missing=(f"{subject + ': ' if subject else ''}{label} held to {english(done)}",),
        person_id=pid,
        subject=subject,
    )


def _covering(c, ctx, run, recorded, used, missing, pid, subject) -> Part:
    """A judgement about "the last N months": it counts once N months of work have passed (the
    months it judges lie wholly after attachment) and while it is no more than N months old."""
    window = c.covers
    assert window is not None
    first_valid = _held_until(ctx.ref, window)  # the first day N months lie after attachment
    stale_from = window_start(ctx.as_of, window.months) if window.months else None
    latest = run[-1]
    if latest.recorded_on < first_valid:
        return Part(
            PROGRESSING,
            f"{recorded}, before {window.describe()} of the work had passed; a judgement "
            f"recorded on or after {english(first_valid)} is needed",
            used,
            missing=(
                f"{subject + ': ' if subject else ''}keyworker's judgement over {window.describe()} after attachment (from {english(first_valid)})",
            ),
            person_id=pid,
            subject=subject,
        )
    too_old = (
        latest.recorded_on < stale_from
        if stale_from is not None
        else latest.recorded_on < ctx.as_of - timedelta(days=7 * (window.weeks or 0) - 1)
    )
    if too_old:
        return Part(
            PROGRESSING,
            f"{recorded}, more than {window.describe()} ago; a current judgement is needed",
            used,
            missing=missing,
            person_id=pid,
            subject=subject,
        )
    # Met since the earliest judgement of the run that was itself valid, with no gap in which the
    # latest judgement had gone stale.
    since = latest.recorded_on
    for earlier, later in zip(reversed(run[:-1]), reversed(run[1:]), strict=True):
        if earlier.recorded_on < first_valid or _held_until(earlier.recorded_on, window) <= (
            later.recorded_on
        ):
            break
        since = earlier.recorded_on
    return Part(
        MET,
        f"{recorded}, judging the last {window.describe()}",
        used,
        met_since=since,
        earliest_met_on=since,
        person_id=pid,
        subject=subject,
    )
