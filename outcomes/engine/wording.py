"""English wording: the plan as a table like the councils' documents.

Rules decide; this module says it in words, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Group, Plan

# --------------------------------------------------------------------------------------------
# The plan as a table, like the councils' documents


@dataclass(frozen=True)
class PlanTableRow:
    problem: str
    identifiers: tuple[str, ...]
    outcome_measures: tuple[str, ...]
    periods: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "identifiers": list(self.identifiers),
            "outcome_measures": list(self.outcome_measures),
            "periods": list(self.periods),
        }


def _group_lines(group: Group) -> list[str]:
    lines = []
    for item in group.criteria:
        if isinstance(item, Group):
            joiner = " and " if item.combine == "all" else " or "
            lines.append(joiner.join(_group_lines(item)))
        else:
            lines.append(item.describe())
    return lines


def _periods(group: Group) -> list[str]:
    seen: list[str] = []
    for crit in group.leaves():
        period = crit.period()
        if period and period not in seen:
            seen.append(period)
    return seen


def plan_table(plan: Plan) -> list[PlanTableRow]:
    """Rows of (problem, identifiers, outcome measures, periods) in readable English."""
    rows = [
        PlanTableRow(
            problem=p.title,
            identifiers=tuple(_group_lines(p.indicators)),
            outcome_measures=tuple(_group_lines(p.outcome)),
            periods=tuple(_periods(p.outcome)),
        )
        for p in plan.problems
    ]
    if plan.continuous_employment is not None:
        ce = plan.continuous_employment
        rows.append(
            PlanTableRow(
                problem="Continuous employment (an alternative results claim)",
                identifiers=("Adult on out-of-work benefits before attachment",),
                outcome_measures=(ce.describe(),),
                periods=(ce.period(),),
            )
        )
    return rows
