"""Cost savings from unit costs: the method of Hertfordshire's Family E (docs/reports.md).

Pure Python over plain data, so the page, the API and the `report` command give the same figures.
Services used in the 6 months before the intervention and in the 6 months after it are priced
from the council's unit costs, as is the intervention itself (the programme's background cost
per family plus the worker's time):

    savings = cost before - intervention cost - cost after
    saved per pound = savings / intervention cost (to the penny; none when nothing was spent)

A cohort's figures are the sums over its families (`cohort_total`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


class CostError(ValueError):
    """A quantity names a unit cost that is not in the table. `path` says where."""

    def __init__(self, path: tuple[str | int, ...], message: str):
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class UnitCostItem:
    name: str
    unit: str
    cost: Decimal
    source: str = ""


@dataclass(frozen=True)
class Quantity:
    item: str
    quantity: Decimal


@dataclass(frozen=True)
class CostLine:
    item: str
    unit: str
    cost: Decimal
    quantity: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CostSavings:
    cost_before: Decimal
    intervention_cost: Decimal
    cost_after: Decimal
    savings: Decimal
    saved_per_pound: Decimal | None
    before: tuple[CostLine, ...] = ()
    during: tuple[CostLine, ...] = ()
    after: tuple[CostLine, ...] = ()

    def as_dict(self) -> dict:
        """The API's answer: money as strings to the penny, as DRF writes decimals."""

        def money(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:.2f}"

        def lines(items: tuple[CostLine, ...]) -> list[dict]:
            return [
                {
                    "item": line.item,
                    "unit": line.unit,
                    "cost": money(line.cost),
                    "quantity": f"{line.quantity.normalize():f}",
                    "amount": money(line.amount),
                }
                for line in items
            ]

        return {
            "cost_before": money(self.cost_before),
            "intervention_cost": money(self.intervention_cost),
            "cost_after": money(self.cost_after),
            "savings": money(self.savings),
            "saved_per_pound": money(self.saved_per_pound),
            "breakdown": {
                "before": lines(self.before),
                "during": lines(self.during),
                "after": lines(self.after),
            },
        }


def _pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _lines(
    period: str, quantities: Iterable[Quantity], table: dict[str, UnitCostItem]
) -> tuple[CostLine, ...]:
    lines = []
    for index, q in enumerate(quantities):
        unit_cost = table.get(q.item.strip().casefold())
        if unit_cost is None:
            raise CostError(
                (period, index, "item"),
                f"There is no unit cost called “{q.item}”: choose one from the unit cost table",
            )
        lines.append(
            CostLine(
                item=unit_cost.name,
                unit=unit_cost.unit,
                cost=unit_cost.cost,
                quantity=q.quantity,
                amount=_pence(unit_cost.cost * q.quantity),
            )
        )
    return tuple(lines)


def saved_per_pound(savings: Decimal, intervention_cost: Decimal) -> Decimal | None:
    if not intervention_cost:
        return None
    return _pence(savings / intervention_cost)


def cost_savings(
    *,
    unit_costs: Iterable[UnitCostItem],
    before: Iterable[Quantity],
    during: Iterable[Quantity],
    after: Iterable[Quantity],
) -> CostSavings:
    """Price the services used before and after the intervention, and the intervention."""
    table = {u.name.strip().casefold(): u for u in unit_costs}
    before_lines = _lines("before", before, table)
    during_lines = _lines("during", during, table)
    after_lines = _lines("after", after, table)
    cost_before = sum((line.amount for line in before_lines), Decimal("0.00"))
    intervention = sum((line.amount for line in during_lines), Decimal("0.00"))
    cost_after = sum((line.amount for line in after_lines), Decimal("0.00"))
    savings = cost_before - intervention - cost_after
    return CostSavings(
        cost_before=cost_before,
        intervention_cost=intervention,
        cost_after=cost_after,
        savings=savings,
        saved_per_pound=saved_per_pound(savings, intervention),
        before=before_lines,
        during=during_lines,
        after=after_lines,
    )


def cohort_total(results: Iterable[CostSavings]) -> CostSavings:
    """A cohort's figures: each sum over its families; saved per pound from those sums."""
    results = list(results)
    cost_before = sum((r.cost_before for r in results), Decimal("0.00"))
    intervention = sum((r.intervention_cost for r in results), Decimal("0.00"))
    cost_after = sum((r.cost_after for r in results), Decimal("0.00"))
    savings = sum((r.savings for r in results), Decimal("0.00"))
    return CostSavings(
        cost_before=cost_before,
        intervention_cost=intervention,
        cost_after=cost_after,
        savings=savings,
        saved_per_pound=saved_per_pound(savings, intervention),
    )
