"""Whether a family can be claimed for on a claim date, and under which programme phase.

A claim rests on the family's outcomes ON THE BATCH'S CLAIM DATE: each family is evaluated as of
that date, from the evidence held now, under the plan in force on that date, and whether that
evaluation supports the claim is the outcomes engine's one decision (`claimability_of`), never
restated here. A family is paid at the tariffs of the programme phase of the plan that was in
force when it was attached; a claim date that falls under a plan of another phase is refused,
because a family is claimed under the phase it was attached in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from families.models import Family, User
from outcomes.engine import RULES_VERSION, claimability_of
from outcomes.models import Evaluation
from outcomes.selectors.plans import engine_plan, plan_in_force
from outcomes.services.evaluations import families_evaluate

from ..models import ClaimType
from .common import CLAIMABLE_FAMILY_STATUSES

PHASE_NAMES = {
    "phase_1": "phase 1",
    "phase_2": "phase 2",
    "supporting_families": "Supporting Families",
}


def evaluations_on_claim_date(
    *, actor: User, family_ids: Iterable[int], claim_date: date
) -> dict[int, Evaluation]:
    """Each family's evaluation as of the claim date, worked out now and stored once (a family
    whose records cannot be evaluated is missing from the answer)."""
    ids = sorted(set(family_ids))
    if not ids:
        return {}
    summary = families_evaluate(actor=actor, family_ids=ids, as_of=claim_date)
    rows = Evaluation.objects.in_bulk(list(summary["evaluations"].values()))
    return {family_id: rows[pk] for family_id, pk in summary["evaluations"].items()}


@dataclass(frozen=True)
class PhaseOfClaim:
    """The programme phase a family is claimed under ("" when the plans do not say), or why not."""

    phase: str
    refusal: str | None = None


class PhaseLookup:
    """The programme phase of the plan in force on a date, remembered per date (plans are few)."""

    def __init__(self) -> None:
        self._by_date: dict[date, str | None] = {}

    def on(self, day: date) -> str | None:
        """The phase of the plan in force on the day; None when no plan was in force."""
        if day not in self._by_date:
            version = plan_in_force(on=day)
            self._by_date[day] = None if version is None else engine_plan(version).programme_phase
        return self._by_date[day]

    def of_claim(self, *, attached_on: date, claim_date: date, reference: str) -> PhaseOfClaim:
        at_attachment = self.on(attached_on)
        on_claim_date = self.on(claim_date)
        if at_attachment is None:
            return PhaseOfClaim(
                "",
                f"{reference} was attached on {attached_on:%-d %B %Y}, when no outcomes plan was in "
                "force: the programme phase it belongs to is not known, so it cannot be claimed for.",
            )
        if at_attachment and on_claim_date and at_attachment != on_claim_date:
            return PhaseOfClaim(
                at_attachment,
                f"{reference} was attached under {PHASE_NAMES.get(at_attachment, at_attachment)} "
                f"but the claim date falls under {PHASE_NAMES.get(on_claim_date, on_claim_date)}: "
                "a family is claimed under the phase it was attached in.",
            )
        return PhaseOfClaim(at_attachment)


def claim_refusal(
    *, family: Family, claim_type: str, evaluation: Evaluation | None, claim_date: date
) -> str | None:
    """Why this family cannot be claimed for on the claim date (None when it can): it must have
    been attached by then (or closed after attachment), and its evaluation as of the claim date
    must show it eligible and, for an outcome claim, claimable for that outcome."""
    if family.status not in CLAIMABLE_FAMILY_STATUSES or family.attached_on is None:
        return f"{family.reference} is not attached to the programme: only attached families can be claimed for."
    if family.attached_on > claim_date:
        return (
            f"{family.reference} was attached on {family.attached_on:%-d %B %Y}, after the claim "
            f"date {claim_date:%-d %B %Y}."
        )
    if claim_type == ClaimType.PROGRESS_TO_WORK:
        return "Progress to work claims are not made through this service."
    if evaluation is None or evaluation.as_of != claim_date:
        return (
            f"{family.reference} could not be evaluated as of the claim date "
            f"{claim_date:%-d %B %Y}: check its records."
        )
    if evaluation.result.get("rules_version") != RULES_VERSION:
        return f"{family.reference} was evaluated by earlier outcomes rules: evaluate it again."
    if not evaluation.result.get("eligible"):
        return f"{family.reference} is not eligible under the outcomes plan, so it cannot be claimed for."
    if claim_type == ClaimType.ATTACHMENT:
        return None
    refusal = claimability_of(evaluation.result, claim_date=claim_date).refusal(claim_type)
    if refusal:
        return f"{family.reference} cannot be claimed for on {claim_date:%-d %B %Y}: {refusal}"
    return None
