"""Who worked with the families: for each combination of the council's services, how many
families, by locality and area, with totals (Oxfordshire 2015, paragraph 8; docs/reports.md).

A family's services are read from its interventions: `Intervention.Service` names the
council's own services (`Intervention.COUNCIL_SERVICES`: the keywork team, Early Intervention,
children's social care and the Youth Offending Service) and the other organisations (schools,
Jobcentre Plus, housing, health, police, probation, other partners). Every intervention the
family has had counts, ended or not. Counting is one SQL query grouped by locality and by
which services the family had, so it costs the same for any number of families.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.db.models import Count, Exists, OuterRef

from families.models import Intervention, Locality, User

from .selectors import report_families
from .tables import Table

COUNCIL_SERVICES = [str(s) for s in Intervention.COUNCIL_SERVICES]
# The words the Oxfordshire table uses for each service.
SHORT_NAMES = {
    Intervention.Service.THRIVING_FAMILIES: "the keywork team",
    Intervention.Service.EARLY_INTERVENTION: "Early Intervention",
    Intervention.Service.SOCIAL_CARE: "social care",
    Intervention.Service.YOUTH_OFFENDING: "the Youth Offending Service",
}
OTHER_ONLY = "other_organisations"
NONE_RECORDED = "none_recorded"


def combination_label(services: tuple[str, ...]) -> str:
    names = [SHORT_NAMES[s] for s in services]
    if len(names) == 1:
        text = f"Just {names[0]}"
    else:
        text = ", ".join(names[:-1]) + " and " + names[-1]
    return text[0].upper() + text[1:]


# Every combination: one service alone, then pairs, threes and all four, in the table's order.
COMBINATIONS: list[tuple[str, ...]] = [
    combo for size in range(1, 5) for combo in combinations(COUNCIL_SERVICES, size)
]


@dataclass(frozen=True)
class ServicesRow:
    key: str  # the services joined by "+", or OTHER_ONLY / NONE_RECORDED
    label: str
    services: tuple[str, ...]
    by_locality: list[int]
    by_area: list[int]
    total: int


@dataclass(frozen=True)
class ServicesTable:
    localities: list[Locality | None]  # None: families with no locality recorded
    areas: list[tuple[str, str]]  # (code, label); code "" for no area
    living: ServicesRow  # every family in the programme, by where it lives
    rows: list[ServicesRow]
    totals: ServicesRow  # the families at least one council service worked with

    def locality_names(self) -> list[str]:
        return [loc.name if loc else "No locality recorded" for loc in self.localities]

    def to_table(self) -> Table:
        columns = ["Who worked with the families", *self.locality_names()]
        columns += [label for _, label in self.areas] + ["Total"]

        def cells(row: ServicesRow) -> list[Any]:
            return [row.label, *row.by_locality, *row.by_area, row.total]

        return Table(
            slug="who-worked-with-the-families",
            title="Who worked with the families, by locality and area",
            columns=columns,
            rows=[cells(self.living), *(cells(r) for r in self.rows)],
            totals=cells(self.totals),
            numeric=set(range(1, len(columns))),
            note="Council services are the keywork team, Early Intervention, children's social "
            "care and the Youth Offending Service, from each family's interventions. Other "
            "organisations are schools, Jobcentre Plus, housing, health, police, probation and "
            "other partners.",
        )

    def to_dict(self) -> dict[str, Any]:
        names = self.locality_names()
        area_names = [label for _, label in self.areas]

        def row_dict(row: ServicesRow) -> dict[str, Any]:
            return {
                "key": row.key,
                "label": row.label,
                "services": list(row.services),
                "by_locality": dict(zip(names, row.by_locality, strict=True)),
                "by_area": dict(zip(area_names, row.by_area, strict=True)),
                "total": row.total,
            }

        return {
            "localities": [
                {"name": name, "area": (loc.get_area_display() if loc and loc.area else "")}
                for name, loc in zip(names, self.localities, strict=True)
            ],
            "areas": area_names,
            "families": row_dict(self.living),
            "combinations": [row_dict(r) for r in self.rows],
            "council_services_total": row_dict(self.totals),
        }


def services_table(*, user: User) -> ServicesTable:
    """The table for every family in the council (two queries: localities, then the counts)."""
    families = report_families(user=user)
    flags = {
        service: Exists(Intervention.objects.filter(family=OuterRef("pk"), service=service))
        for service in COUNCIL_SERVICES
    }
    flags["other"] = Exists(
        Intervention.objects.filter(family=OuterRef("pk")).exclude(service__in=COUNCIL_SERVICES)
    )
    grouped = (
        families.annotate(**flags).values("locality_id", *flags).annotate(n=Count("pk")).order_by()
    )
    counts: dict[str, dict[int | None, int]] = {}
    living: dict[int | None, int] = {}
    for row in grouped:
        services = tuple(s for s in COUNCIL_SERVICES if row[s])
        if services:
            key = "+".join(services)
        elif row["other"]:
            key = OTHER_ONLY
        else:
            key = NONE_RECORDED
        by_place = counts.setdefault(key, {})
        by_place[row["locality_id"]] = by_place.get(row["locality_id"], 0) + row["n"]
        living[row["locality_id"]] = living.get(row["locality_id"], 0) + row["n"]

    localities: list[Locality | None] = list(Locality.objects.order_by("name"))
    if None in living:
        localities.append(None)
    used_areas = {loc.area for loc in localities if loc is not None and loc.area}
    areas = [(code, label) for code, label in Locality.Area.choices if code in used_areas]
    if any(loc is None or not loc.area for loc in localities):
        areas.append(("", "No area recorded"))

    def make(key: str, label: str, services: tuple[str, ...], found: dict[int | None, int]):
        by_locality = [found.get(loc.pk if loc else None, 0) for loc in localities]
        by_area = [
            sum(
                n
                for loc, n in zip(localities, by_locality, strict=True)
                if ((loc.area if loc else "") or "") == code
            )
            for code, _ in areas
        ]
        return ServicesRow(key, label, services, by_locality, by_area, sum(by_locality))

    rows = [
        make("+".join(c), combination_label(c), c, counts.get("+".join(c), {}))
        for c in COMBINATIONS
    ]
    rows.append(
        make(
            OTHER_ONLY,
            "Families worked with only by other organisations",
            (),
            counts.get(OTHER_ONLY, {}),
        )
    )
    rows.append(make(NONE_RECORDED, "No service recorded yet", (), counts.get(NONE_RECORDED, {})))
    council: dict[int | None, int] = {}
    for key, found in counts.items():
        if key in (OTHER_ONLY, NONE_RECORDED):
            continue
        for place, n in found.items():
            council[place] = council.get(place, 0) + n
    return ServicesTable(
        localities=localities,
        areas=areas,
        living=make("families", "Families in the programme living in the area", (), living),
        rows=rows,
        totals=make(
            "council_services", "Families at least one council service worked with", (), council
        ),
    )


def services_chart_rows(table: ServicesTable) -> tuple[list[str], list[int]]:
    """Labels and totals for the chart: the combinations with any families."""
    shown = [r for r in table.rows if r.total]
    return [r.label for r in shown], [r.total for r in shown]
