"""Which tariff pays for a claim: by claim type and the family's attachment date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from outcomes.models import Evaluation

from ..models import (
    ClaimType,
    Tariff,
)


def tariff_for(
    *, claim_type: str, on: date, tariffs: Iterable[Tariff] | None = None
) -> Tariff | None:
    """The tariff in force for a claim type on a date (the family's attachment date)."""
    rows = tariffs if tariffs is not None else Tariff.objects.filter(claim_type=claim_type)
    for tariff in rows:
        if (
            tariff.claim_type == claim_type
            and tariff.effective_from <= on
            and (tariff.effective_to is None or on < tariff.effective_to)
        ):
            return tariff
    return None


def _outcome_claim_type(
    evaluation: Evaluation, attached_on: date, tariffs: list[Tariff]
) -> str | None:
    """Results or continuous employment: whichever the evaluation supports; if both, the one
    the tariff pays more for (phase 1: continuous employment), results on a tie."""
    options = []
    if evaluation.claimable_results:
        options.append(ClaimType.RESULTS)
    if evaluation.claimable_employment:
        options.append(ClaimType.CONTINUOUS_EMPLOYMENT)
    priced = [(t, tariff_for(claim_type=t, on=attached_on, tariffs=tariffs)) for t in options]
    priced = [(t, tariff) for t, tariff in priced if tariff is not None]
    if not priced:
        return None
    best = max(priced, key=lambda pair: (pair[1].amount, pair[0] == ClaimType.RESULTS))
    return best[0]
