"""The programme dashboard: families identified, attached, closed and claimed for by programme
year against the council's targets; outcomes met per problem; families by locality and area;
claims and income by type and period; the near misses (docs/reports.md, "Programme dashboard").

Every figure is counted in SQL (`values` + `annotate`), so the page costs the same number of
queries for 60 families or 100,000.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncQuarter
from django.utils.safestring import SafeString

from claims.models import OUTCOME_CLAIM_TYPES, Claim, ClaimType
from claims.selectors import counted_claims
from families.models import Family, Locality, Problem, User
from outcomes.selectors.evaluations import near_miss_count, outcomes_met_count

from .charts import Series, bar_chart
from .selectors import (
    ReportFilters,
    identification_targets,
    programme_year_of,
    quarter_label,
    report_families,
    year_label,
)
from .tables import Table

ZERO = Decimal("0.00")

# How a problem's outcome reads in a sentence: "743 families saw significant improvement in
# school attendance" (Oxfordshire 2015, paragraph 6).
OUTCOME_SENTENCES = {
    "crime_asb": "saw offending and anti-social behaviour reduce significantly",
    "school_attendance": "saw significant improvement in school attendance",
    "children_need_help": "saw significant and sustained progress for children who needed help",
    "worklessness": "saw significant progress into work or away from financial exclusion",
    "domestic_abuse": "saw domestic violence and abuse reduce significantly",
    "health": "saw significant improvement in their health",
    "continuous_employment": "had an adult move into continuous employment",
}


@dataclass(frozen=True)
class Figure:
    """A chart and the table it pictures."""

    chart: SafeString
    table: Table


@dataclass(frozen=True)
class Dashboard:
    filters: ReportFilters
    outcome_sentences: list[str]
    near_misses: int
    figures: list[Figure]

    @property
    def tables(self) -> list[Table]:
        return [f.table for f in self.figures]


def _by_quarter(rows, key: str = "n") -> dict[date, int]:
    return {row["quarter"]: row[key] for row in rows if row["quarter"] is not None}


def _count_by_quarter(families, field: str) -> dict[date, int]:
    return _by_quarter(
        families.filter(**{f"{field}__isnull": False})
        .annotate(quarter=TruncQuarter(field))
        .values("quarter")
        .annotate(n=Count("pk"))
    )


def _years(counts: dict[date, int]) -> dict[int, int]:
    years: dict[int, int] = defaultdict(int)
    for quarter, n in counts.items():
        years[programme_year_of(quarter)] += n
    return years


def families_by_year(families, filters: ReportFilters) -> Table:
    """Identified, attached, closed and claimed for, by programme year, with the targets (five queries)."""
    identified = _years(_count_by_quarter(families, "identified_on"))
    attached = _years(_count_by_quarter(families, "attached_on"))
    closed = _years(_count_by_quarter(families, "closed_on"))
    claimed = _years(
        _by_quarter(
            counted_claims(families=families)
            .filter(claim_type__in=OUTCOME_CLAIM_TYPES)
            .annotate(quarter=TruncQuarter("batch__as_of"))
            .values("quarter")
            .annotate(n=Count("family", distinct=True))
        )
    )
    targets = identification_targets()
    years = sorted({*identified, *attached, *closed, *claimed, *targets})
    if filters.year:
        years = [filters.year]
    rows = []
    for year in years:
        target = targets.get(year)
        rows.append(
            [
                target.label if target else year_label(year),
                identified.get(year, 0),
                target.families_to_identify if target else None,
                attached.get(year, 0),
                target.families_to_attach if target else None,
                closed.get(year, 0),
                claimed.get(year, 0),
            ]
        )
    totals = None
    if len(rows) > 1:
        totals = ["Total"] + [
            sum(r[i] for r in rows if r[i] is not None)
            if any(r[i] is not None for r in rows)
            else None
            for i in range(1, 7)
        ]
    return Table(
        slug="families-by-year",
        title="Families by programme year (April to March), against the council's targets",
        columns=[
            "Programme year",
            "Families identified",
            "Target to identify",
            "Families attached",
            "Target to attach",
            "Families closed",
            "Families claimed for",
        ],
        rows=rows,
        totals=totals,
        numeric={1, 2, 3, 4, 5, 6},
        note="A family counts in the year it was identified, attached or closed; claimed for is "
        "a results or continuous employment claim with its claim date in the year. An empty "
        "target has not been set.",
    )


def outcomes_by_problem(families) -> tuple[Table, list[str]]:
    """Families whose current evaluation shows each problem met (two queries)."""
    problems = list(Problem.objects.order_by("number"))
    met = outcomes_met_count(families=families, problems=[p.code for p in problems])
    rows = [[p.short_title, met[p.code]] for p in problems]
    rows.append(["Continuous employment", met["continuous_employment"]])
    sentences = []
    for p in problems:
        sentence = OUTCOME_SENTENCES.get(p.code, f"met the outcome for {p.short_title.lower()}")
        sentences.append(_families(met[p.code]) + " " + sentence)
    sentences.append(
        _families(met["continuous_employment"]) + " " + OUTCOME_SENTENCES["continuous_employment"]
    )
    table = Table(
        slug="outcomes-by-problem",
        title="Families who met the outcome for each problem",
        columns=["Problem", "Families"],
        rows=rows,
        numeric={1},
        note="From each family's latest eligibility check: the problem was one the family was "
        "identified with and the outcomes plan's measure of success is met.",
    )
    return table, sentences


def _families(n: int) -> str:
    return f"{n:,} famil{'y' if n == 1 else 'ies'}"


def families_by_locality(families) -> tuple[Table, Table]:
    """Families by locality and by area, by where they are in the programme now (two queries)."""
    localities = list(Locality.objects.order_by("name"))
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in families.values("locality_id", "status").annotate(n=Count("pk")):
        counts[row["locality_id"]][row["status"]] += row["n"]
    statuses = [s for s, _ in Family.Status.choices]

    def row_for(label, found):
        values = [found.get(s, 0) for s in statuses]
        return [label, *values, sum(values)]

    loc_rows = [row_for(loc.name, counts.get(loc.pk, {})) for loc in localities]
    if None in counts:
        loc_rows.append(row_for("No locality recorded", counts[None]))
    areas: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    area_of = {loc.pk: loc.area for loc in localities}
    for locality_id, found in counts.items():
        for status, n in found.items():
            areas[area_of.get(locality_id) or ""][status] += n
    area_rows = [
        row_for(label, areas[code]) for code, label in Locality.Area.choices if code in areas
    ]
    if "" in areas:
        area_rows.append(row_for("No area recorded", areas[""]))
    columns = [*(label for _, label in Family.Status.choices), "All families"]

    def totals(rows):
        return ["Total", *(sum(r[i] for r in rows) for i in range(1, len(columns) + 1))]

    numeric = set(range(1, len(columns) + 1))
    return (
        Table(
            slug="families-by-locality",
            title="Families by locality, by where they are in the programme now",
            columns=["Locality", *columns],
            rows=loc_rows,
            totals=totals(loc_rows) if loc_rows else None,
            numeric=numeric,
        ),
        Table(
            slug="families-by-area",
            title="Families by area, by where they are in the programme now",
            columns=["Area", *columns],
            rows=area_rows,
            totals=totals(area_rows) if area_rows else None,
            numeric=numeric,
        ),
    )


CLAIM_TYPES = [ClaimType.ATTACHMENT, ClaimType.RESULTS, ClaimType.CONTINUOUS_EMPLOYMENT]


def _claim_sums():
    return {
        "claims": Count("pk"),
        "claimed": Sum("amount", default=ZERO),
        "paid": Sum("amount", filter=Q(status=Claim.Status.PAID), default=ZERO),
    }


def claims_by_type(families) -> Table:
    """Claims made and income received by claim type (one query)."""
    found = {
        row["claim_type"]: row
        for row in counted_claims(families=families).values("claim_type").annotate(**_claim_sums())
    }
    labels = dict(ClaimType.choices)
    kinds = [*CLAIM_TYPES, *(t for t in found if t not in CLAIM_TYPES)]
    rows = [
        [
            labels.get(t, t),
            found.get(t, {}).get("claims", 0),
            found.get(t, {}).get("claimed", ZERO),
            found.get(t, {}).get("paid", ZERO),
        ]
        for t in kinds
    ]
    return Table(
        slug="claims-by-type",
        title="Claims and income by claim type",
        columns=["Claim type", "Claims", "Amount claimed (£)", "Income received (£)"],
        rows=rows,
        totals=[
            "Total",
            sum(r[1] for r in rows),
            sum((r[2] for r in rows), ZERO),
            sum((r[3] for r in rows), ZERO),
        ],
        numeric={1, 2, 3},
        note="Claims still counting: not rejected, and not removed from their batch. Income is "
        "what has been paid.",
    )


def claims_by_period(families, filters: ReportFilters) -> Table:
    """Claims and income by programme year, or by quarter within a chosen year (one query)."""
    rows_by_quarter = {
        row["quarter"]: row
        for row in counted_claims(families=families)
        .annotate(quarter=TruncQuarter("batch__as_of"))
        .values("quarter")
        .annotate(**_claim_sums())
    }
    periods: dict[str, list] = {}
    for quarter in sorted(rows_by_quarter):
        year = programme_year_of(quarter)
        if filters.year and year != filters.year:
            continue
        label = quarter_label(quarter) if filters.year else year_label(year)
        entry = periods.setdefault(label, [label, 0, ZERO, ZERO])
        row = rows_by_quarter[quarter]
        entry[1] += row["claims"]
        entry[2] += row["claimed"]
        entry[3] += row["paid"]
    rows = list(periods.values())
    return Table(
        slug="claims-by-period",
        title="Claims and income by quarter"
        if filters.year
        else "Claims and income by programme year",
        columns=[
            "Quarter" if filters.year else "Programme year",
            "Claims",
            "Amount claimed (£)",
            "Income received (£)",
        ],
        rows=rows,
        totals=[
            "Total",
            sum(r[1] for r in rows),
            sum((r[2] for r in rows), ZERO),
            sum((r[3] for r in rows), ZERO),
        ]
        if rows
        else None,
        numeric={1, 2, 3},
        note="By the claim date of the batch the claim is in.",
    )


def _chart(table: Table, title: str, columns: list[int]) -> SafeString:
    return bar_chart(
        title=title,
        labels=[str(r[0]) for r in table.rows],
        series=[Series(table.columns[i], [r[i] or 0 for r in table.rows]) for i in columns],
    )


def dashboard(*, user: User, filters: ReportFilters) -> Dashboard:
    """Every figure on the programme dashboard for the filters (a constant number of queries)."""
    families = report_families(user=user, filters=filters)
    by_year = families_by_year(families, filters)
    outcomes, sentences = outcomes_by_problem(families)
    by_locality, by_area = families_by_locality(families)
    by_type = claims_by_type(families)
    by_period = claims_by_period(families, filters)
    figures = [
        Figure(
            _chart(by_year, "Families identified, attached and claimed for by year", [1, 2, 3, 6]),
            by_year,
        ),
        Figure(_chart(outcomes, "Families who met the outcome for each problem", [1]), outcomes),
        Figure(
            _chart(by_locality, "Families by locality", [len(by_locality.columns) - 1]), by_locality
        ),
        Figure(_chart(by_area, "Families by area", [len(by_area.columns) - 1]), by_area),
        Figure(_chart(by_type, "Claims by claim type: amounts in pounds", [2, 3]), by_type),
        Figure(_chart(by_period, "Claims by period: amounts in pounds", [2, 3]), by_period),
    ]
    return Dashboard(
        filters=filters,
        outcome_sentences=sentences,
        near_misses=near_miss_count(families=families),
        figures=figures,
    )
