"""Drug and alcohol treatment completed and sustained."""

from __future__ import annotations

from datetime import timedelta

from ..dates import english, first_day_clear_of
from ..evidence import (
    Treatment,
)
from ..model import (
    TreatmentCompleted,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import Context
from .helpers import (
    refs,
)


def outcome_treatment_completed(c: TreatmentCompleted, ctx: Context, m: Member) -> Part | None:
    spans = [
        s
        for s in ctx.matching_spans("treatment", (), (), m.person_id, family=False)
        if not c.substances or s.record.substance in c.substances
    ]  # type: ignore[attr-defined]
    name = m.display_name
    if not spans:
        return Part(
            NOT_MET,
            "no treatment recorded",
            missing=(f"{name}: successful completion of treatment",),
            person_id=m.person_id,
            subject=name,
        )
    used = refs(s.record for s in spans)
    latest_start = max(s.start for s in spans)
    completed = [
        s
        for s in spans
        if isinstance(s.record, Treatment)
        and s.record.outcome == "completed"
        and s.end is not None
        and s.end > ctx.ref
        and s.end == s.record.end_date
        and latest_start <= s.end
    ]
    if completed:
        s = max(completed, key=lambda s: (s.end, s.record.id))
        assert s.end is not None
        done = (
            first_day_clear_of(s.end, c.sustain.months)
            if c.sustain and c.sustain.months
            else s.end + timedelta(days=7 * (c.sustain.weeks if c.sustain else 0))
        )
        held = f", with no new episode for {c.sustain.describe()}" if c.sustain else ""
        if done <= ctx.as_of:
            return Part(
                MET,
                f"{s.record.substance} treatment completed on {english(s.end)}{held}",
                used,
                met_since=done,
                earliest_met_on=done,
                person_id=m.person_id,
                subject=name,
            )  # type: ignore[attr-defined]
        return Part(
            PROGRESSING,
            f"{s.record.substance} treatment completed on {english(s.end)}; to be held with no new episode{' for ' + c.sustain.describe() if c.sustain else ''}",
            used,
            earliest_met_on=done,
            missing=(
                f"{name}: {c.sustain.describe() if c.sustain else ''} since completing treatment (to {english(done)})",
            ),
            person_id=m.person_id,
            subject=name,
        )  # type: ignore[attr-defined]
    ongoing = [s for s in spans if s.end is None]
    if ongoing:
        s = ongoing[-1]
        return Part(
            PROGRESSING,
            f"in {s.record.substance} treatment since {english(s.start)}",
            used,
            missing=(f"{name}: successful completion of treatment",),
            person_id=m.person_id,
            subject=name,
        )  # type: ignore[attr-defined]
    s = max(spans, key=lambda s: (s.start, s.record.id))
    outcome = getattr(s.record, "outcome", "")
    return Part(
        NOT_MET,
        f"latest {s.record.substance} treatment ({english(s.start)}) {outcome.replace('_', ' ')}; no completion since attachment",
        used,
        missing=(f"{name}: successful completion of treatment",),
        person_id=m.person_id,
        subject=name,
    )  # type: ignore[attr-defined]
