"""Whether a family can be claimed for, and which outcome claim it supports."""

from __future__ import annotations

from families.models import Family
from outcomes.models import Evaluation

from ..models import (
    ClaimType,
)
from .common import CLAIMABLE_FAMILY_STATUSES


def claim_refusal(*, family: Family, claim_type: str, evaluation: Evaluation | None) -> str | None:
    """Why this family cannot be claimed for (None when it can): it must be attached (or closed
    after attachment), and its current evaluation must show it eligible and, for an outcome
    claim, claimable for that outcome."""
    if family.status not in CLAIMABLE_FAMILY_STATUSES or family.attached_on is None:
        return f"{family.reference} is not attached to the programme: only attached families can be claimed for."
    if evaluation is None:
        return f"{family.reference} has not been evaluated against the outcomes plan yet: run the eligibility check first."
    if not evaluation.eligible:
        return f"{family.reference} is not eligible under the outcomes plan, so it cannot be claimed for."
    if claim_type == ClaimType.RESULTS and not evaluation.claimable_results:
        return (
            f"{family.reference} has not met the outcomes for every problem it was identified with."
        )
    if claim_type == ClaimType.CONTINUOUS_EMPLOYMENT and not evaluation.claimable_employment:
        return f"{family.reference} has no adult in continuous employment under the outcomes plan."
    if claim_type == ClaimType.PROGRESS_TO_WORK:
        return "Progress to work claims are not made through this service."
    return None
