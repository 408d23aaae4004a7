"""The demo council's unit cost table: the costs in Hertfordshire's Family E case study (2013),
kept with the worked example in `reports.examples`."""

from __future__ import annotations

from families.models import User
from families.services import system_actor
from reports.examples import FAMILY_E, UNIT_COSTS
from reports.unit_costs import unit_costs_seed

__all__ = ["FAMILY_E", "UNIT_COSTS", "extend_demo"]


def extend_demo(*, families, rng, synthetic: bool, stdout, actor: User | None = None) -> None:
    """Seed the unit cost table (only the costs it lacks: safe to run twice)."""
    del families, rng, synthetic
    added = unit_costs_seed(actor=actor or system_actor(), items=UNIT_COSTS)
    if added and stdout is not None:
        stdout.write(f"Unit costs for the cost savings report: {added} added")
