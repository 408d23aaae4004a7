"""The rule kinds: pure functions from (criterion, context) to per-subject results.

Conventions every rule follows (docs/outcomes-plans.md explains them for plan authors):

* The baseline is the window ending on the attachment date: ``(attached_on - N months,
  attached_on]`` or the last N school terms that ended on or before it. A family not yet attached
  is judged on the window ending on ``as_of``.
* Outcome windows are "the last N months" up to the review date: ``(as_of - N months, as_of]``
  (Worcestershire plan, note 5). Both ends are inclusive days, so an event on the last day
  counts. A window must lie wholly after the attachment date.
* Only evidence dated on or before ``as_of`` is used, and only while the person was a household
  member (spells are cut to the membership dates; a term's date is its end date).
* ``earliest_met_on`` assumes things hold from ``as_of``: no new events, open spells stay open,
  closed ones stay closed, future school terms meet the threshold.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import (
    ActivityHeld,
    ChildPlanLevel,
    ContinuousEmployment,
    CountReduction,
    Criterion,
    EventCount,
    JudgementCriterion,
    NoEscalation,
    NoEvents,
    SpellActive,
    TermThreshold,
    TreatmentCompleted,
)
from ..results import NOT_MET, Part
from .care import outcome_child_plan_level
from .context import Context
from .employment import outcome_activity_held, outcome_continuous_employment
from .events import (
    indicator_event_count,
    outcome_count_reduction,
    outcome_no_escalation,
    outcome_no_events,
)
from .health import outcome_treatment_completed
from .judgements import indicator_judgement, outcome_judgement
from .school import indicator_term_threshold, outcome_term_threshold
from .spells import indicator_spell_active

__all__ = ["FAMILY_CAPABLE", "INDICATOR_RULES", "OUTCOME_RULES", "Context", "not_attached_part"]

# --------------------------------------------------------------------------------------------
# Dispatch

INDICATOR_RULES: dict[type[Criterion], Callable[..., list[Part]]] = {
    EventCount: indicator_event_count,
    SpellActive: indicator_spell_active,
    TermThreshold: indicator_term_threshold,
    JudgementCriterion: indicator_judgement,
}

# Person-level outcome rules take (criterion, ctx, member); family-level ones accept member None.
OUTCOME_RULES: dict[type[Criterion], Callable[..., Part | None]] = {
    TermThreshold: outcome_term_threshold,
    NoEvents: outcome_no_events,
    CountReduction: outcome_count_reduction,
    NoEscalation: outcome_no_escalation,
    ChildPlanLevel: outcome_child_plan_level,
    ContinuousEmployment: outcome_continuous_employment,
    ActivityHeld: outcome_activity_held,
    TreatmentCompleted: outcome_treatment_completed,
    JudgementCriterion: outcome_judgement,
}

FAMILY_CAPABLE = (NoEvents, CountReduction, NoEscalation, JudgementCriterion)


def not_attached_part() -> Part:
    return Part(
        NOT_MET,
        "work with the family has not started (no attachment date), so no outcome can be measured yet",
        missing=("Attachment to the programme",),
    )
