"""Reads and writes of the council's unit cost table (reports.models.UnitCost)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from families.models import User

from .cost_savings import UnitCostItem
from .models import UnitCost


def unit_cost_list() -> list[UnitCostItem]:
    """The council's unit costs, by name, as the calculator's plain items (one query)."""
    return [
        UnitCostItem(name=u.name, unit=u.unit, cost=u.cost, source=u.source)
        for u in UnitCost.objects.order_by("name")
    ]


@transaction.atomic
def unit_costs_seed(*, actor: User, items: Iterable[UnitCostItem]) -> int:
    """Add the unit costs the table lacks, by name; costs already there are left as the council
    set them. Returns how many were added. Safe to run twice."""
    del actor  # the table is a setting: its admin history records later edits
    existing = set(UnitCost.objects.values_list("name", flat=True))
    new = [
        UnitCost(name=i.name, unit=i.unit, cost=i.cost, source=i.source)
        for i in items
        if i.name not in existing
    ]
    UnitCost.objects.bulk_create(new)
    return len(new)
