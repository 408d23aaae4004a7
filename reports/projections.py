"""Caseload and claim projections from new cases per quarter (docs/reports.md, "Projections").

Pure Python over plain data, so the page, the API and the `report` command give the same figures.
The rule reproduces Hertfordshire's 2013 projection table exactly (tests/unit/reports):

- Each input row is one quarter, and the rows follow one another a quarter apart whatever their
  labels say (Hertfordshire's last column is "May 2015", counted as the quarter after March 2015).
- A family stays in intervention for `ceil(intervention_months / 3)` quarters: the families
  worked with in a quarter (the net case holding) are those that started in it or in the
  quarters before it still inside that span, that is cumulative cases now less cumulative cases
  that many quarters ago.
- A family can be claimed once its intervention has ended and its outcome has been sustained:
  the families started in a quarter become potential claims `ceil((intervention_months +
  sustain_months) / 3)` quarters later. The rows run on past the last quarter given (with no
  new cases, each a quarter after the one before) until the last potential claim, as the stable
  interface says (docs/interfaces.md, section 5); `claims_after_last_quarter` counts the claims
  in those added rows.
- Capacity is optional: without it no quarter is over capacity.
"""

from __future__ import annotations

from calendar import month_name
from dataclasses import dataclass
from math import ceil


@dataclass(frozen=True)
class QuarterCases:
    quarter: str  # "2012-09": the month the quarter ends
    new_cases: int


@dataclass(frozen=True)
class ProjectionInput:
    quarters: list[QuarterCases]
    intervention_months: int
    sustain_months: int
    capacity: int | None = None


@dataclass(frozen=True)
class ProjectionRow:
    quarter: str
    new_cases: int
    cumulative_cases: int
    potential_claims: int
    cumulative_claims: int
    net_case_holding: int


@dataclass(frozen=True)
class Projection:
    intervention_months: int
    sustain_months: int
    capacity: int | None
    rows: list[ProjectionRow]
    peak_case_holding: int
    peak_quarter: str | None
    over_capacity_quarters: list[str]
    claims_after_last_quarter: int

    def as_dict(self) -> dict:
        return {
            "intervention_months": self.intervention_months,
            "sustain_months": self.sustain_months,
            "capacity": self.capacity,
            "peak_case_holding": self.peak_case_holding,
            "peak_quarter": self.peak_quarter,
            "over_capacity_quarters": list(self.over_capacity_quarters),
            "claims_after_last_quarter": self.claims_after_last_quarter,
            "rows": [
                {
                    "quarter": r.quarter,
                    "new_cases": r.new_cases,
                    "cumulative_cases": r.cumulative_cases,
                    "potential_claims": r.potential_claims,
                    "cumulative_claims": r.cumulative_claims,
                    "net_case_holding": r.net_case_holding,
                }
                for r in self.rows
            ],
        }


def quarters_for(months: int) -> int:
    """Whole quarters a span of months reaches into: 9 months is 3 quarters, 10 is 4."""
    return ceil(months / 3)


def next_quarter(quarter: str) -> str:
    """ "2015-05" → "2015-08": the month three months on."""
    year, month = map(int, quarter.split("-"))
    month += 3
    if month > 12:
        year, month = year + 1, month - 12
    return f"{year:04d}-{month:02d}"


def project(data: ProjectionInput) -> Projection:
    """The projection table for these quarters and assumptions, from the first quarter given to
    the last potential claim."""
    given = list(data.quarters)
    in_intervention = quarters_for(data.intervention_months)
    to_claim = quarters_for(data.intervention_months + data.sustain_months)
    started = [i for i, q in enumerate(given) if q.new_cases]
    last_row = max(len(given) - 1, (started[-1] + to_claim) if started else 0)
    quarters = given[:]
    while len(quarters) <= last_row:
        quarters.append(QuarterCases(next_quarter(quarters[-1].quarter), 0))
    new = [q.new_cases for q in quarters]
    cumulative: list[int] = []
    running = 0
    for n in new:
        running += n
        cumulative.append(running)

    def cumulative_at(index: int) -> int:
        return cumulative[index] if index >= 0 else 0

    rows: list[ProjectionRow] = []
    claims_so_far = 0
    for index, quarter in enumerate(quarters):
        claims = new[index - to_claim] if index - to_claim >= 0 else 0
        claims_so_far += claims
        rows.append(
            ProjectionRow(
                quarter=quarter.quarter,
                new_cases=quarter.new_cases,
                cumulative_cases=cumulative[index],
                potential_claims=claims,
                cumulative_claims=claims_so_far,
                net_case_holding=cumulative[index] - cumulative_at(index - in_intervention),
            )
        )
    peak = max(rows, key=lambda r: r.net_case_holding, default=None)
    over = (
        []
        if data.capacity is None
        else [r.quarter for r in rows if r.net_case_holding > data.capacity]
    )
    return Projection(
        intervention_months=data.intervention_months,
        sustain_months=data.sustain_months,
        capacity=data.capacity,
        rows=rows,
        peak_case_holding=peak.net_case_holding if peak else 0,
        peak_quarter=peak.quarter if peak else None,
        over_capacity_quarters=over,
        claims_after_last_quarter=sum(r.potential_claims for r in rows[len(given) :]),
    )


def quarter_label(quarter: str) -> str:
    """ "2012-09" → "September 2012"."""
    year, month = quarter.split("-")
    return f"{month_name[int(month)]} {year}"
