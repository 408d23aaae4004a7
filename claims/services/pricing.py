"""Which tariff pays for a claim: by claim type, programme phase and the family's attachment date.

In phase 1 the split between attachment fee and results payment was fixed by the year the family
was attached. A council that started a phase early (Oxfordshire was an early implementer of
phase 2 from September 2014, before the national start in April 2015) attached families to that
phase before its national tariff dates: they are paid at the phase's first tariff.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from outcomes.engine import Claimability

from ..models import ClaimType, Tariff


def tariff_for(
    *,
    claim_type: str,
    on: date,
    phase: str = "",
    tariffs: Iterable[Tariff] | None = None,
) -> Tariff | None:
    """The tariff for a claim type for a family attached on ``on``: of the given programme phase
    when one is known (the phase of the plan in force at attachment), else whichever phase's
    tariff was in force on the date."""
    rows = [
        t
        for t in (tariffs if tariffs is not None else Tariff.objects.filter(claim_type=claim_type))
        if t.claim_type == claim_type and (not phase or t.phase == phase)
    ]
    for tariff in rows:
        if tariff.effective_from <= on and (
            tariff.effective_to is None or on < tariff.effective_to
        ):
            return tariff
    if phase:
        later = [t for t in rows if on < t.effective_from]
        if later:  # attached to the phase before its national start: an early implementer
            return min(later, key=lambda t: t.effective_from)
    return None


def outcome_claim_type(
    claimability: Claimability, *, attached_on: date, phase: str, tariffs: list[Tariff]
) -> str | None:
    """Results or continuous employment: whichever the evaluation supports; if both, the one the
    tariff pays more for (phase 1: continuous employment), results on a tie."""
    options = []
    if claimability.results:
        options.append(ClaimType.RESULTS)
    if claimability.continuous_employment:
        options.append(ClaimType.CONTINUOUS_EMPLOYMENT)
    priced = [
        (t, tariff_for(claim_type=t, on=attached_on, phase=phase, tariffs=tariffs)) for t in options
    ]
    priced = [(t, tariff) for t, tariff in priced if tariff is not None]
    if not priced:
        return None
    best = max(priced, key=lambda pair: (pair[1].amount, pair[0] == ClaimType.RESULTS))
    return best[0]
