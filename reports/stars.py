"""The Outcome Stars report: how far the families and children who completed a Star moved,
area by area, between their baseline and their most recent reading (docs/reports.md).

For each Star and each area: how many people (My Star) or families (Family Star Plus) have a
baseline and a later reading, their average baseline score, their average latest score, the
change and the percentage change. As in Oxfordshire's phase 1 results (My Star 2.60 → 3.40,
a 30.77% change; Family Star Plus 4.39 → 6.41, 2.01, 45.81%), the change and the percentage
are worked out from the unrounded averages, and every figure is rounded only to be shown: the
Family Star Plus change is 2.01, not 6.41 − 4.39 = 2.02.

`cohort_change` is plain Python over plain readings, tested from tables; `stars_report` reads
the readings the user may see through `casework.selectors` and builds the tables and charts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import forms
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from casework.selectors import star_definition_list, star_reading_list
from core.forms import GovukDateField, GovukFormMixin

from .charts import Series, bar_chart
from .tables import Table, download_response

BASELINE = "baseline"
ALL_AREAS = "All areas"


@dataclass(frozen=True)
class Reading:
    """One reading of a Star for one subject (a person or a family): its scores by area."""

    subject: Hashable
    read_on: date
    kind: str  # "baseline" or "review"
    scores: Mapping[str, int]
    order: int = 0  # breaks ties between readings on the same day, as recorded


@dataclass(frozen=True)
class AreaChange:
    """An area's (or the whole Star's) averages over the subjects with both readings, exact."""

    identifier: str
    name: str
    count: int
    baseline: Fraction | None
    latest: Fraction | None

    @property
    def change(self) -> Fraction | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def percent(self) -> Fraction | None:
        if self.change is None or not self.baseline:
            return None
        return self.change / self.baseline * 100


def shown(value: Fraction | None, places: int = 2) -> Decimal | None:
    """A figure rounded to be shown: half away from zero, to `places` decimal places."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pairs(readings: Iterable[Reading]) -> list[tuple[Reading, Reading]]:
    """Per subject, its baseline (the first baseline, or the first reading without one) and its
    latest reading after that day; subjects with no later reading are left out."""
    by_subject: dict[Hashable, list[Reading]] = {}
    for reading in readings:
        by_subject.setdefault(reading.subject, []).append(reading)
    found = []
    for group in by_subject.values():
        group.sort(key=lambda r: (r.read_on, r.order))
        baseline = next((r for r in group if r.kind == BASELINE), group[0])
        later = [r for r in group if r.read_on > baseline.read_on]
        if later:
            found.append((baseline, later[-1]))
    return found


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def cohort_change(
    areas: Sequence[tuple[str, str]], readings: Iterable[Reading]
) -> tuple[list[AreaChange], AreaChange]:
    """Each area's change (identifier, name in order), and the whole Star's: the average over
    subjects of each subject's average score across the areas."""
    matched = pairs(readings)
    rows = []
    for identifier, name in areas:
        both = [(b, a) for b, a in matched if identifier in b.scores and identifier in a.scores]
        rows.append(
            AreaChange(
                identifier=identifier,
                name=name,
                count=len(both),
                baseline=_mean([Fraction(b.scores[identifier]) for b, _ in both]),
                latest=_mean([Fraction(a.scores[identifier]) for _, a in both]),
            )
        )
    known = {identifier for identifier, _ in areas}

    def star_mean(reading: Reading) -> Fraction:
        values = [Fraction(v) for k, v in reading.scores.items() if k in known]
        return _mean(values) or Fraction(0)

    overall = AreaChange(
        identifier="",
        name=ALL_AREAS,
        count=len(matched),
        baseline=_mean([star_mean(b) for b, _ in matched]),
        latest=_mean([star_mean(a) for _, a in matched]),
    )
    return rows, overall


# --- the report as the page and the API show it --------------------------------------------------


@dataclass
class StarCohort:
    definition: object
    rows: list[AreaChange]
    overall: AreaChange

    @property
    def counted(self) -> str:
        return "Families" if self.definition.subject == "family" else "Children and young people"

    def table(self) -> Table:
        def line(change: AreaChange) -> list:
            percent = shown(change.percent)
            return [
                change.name,
                change.count,
                shown(change.baseline),
                shown(change.latest),
                shown(change.change),
                f"{percent}%" if percent is not None else None,
            ]

        name = self.definition.name
        return Table(
            slug="stars-" + "-".join(name.lower().split()),
            title=f"{name}: average scores at baseline and most recent reading",
            columns=[
                "Area",
                self.counted,
                "Average baseline",
                "Average latest",
                "Change",
                "Percentage change",
            ],
            rows=[line(row) for row in self.rows],
            totals=line(self.overall) if self.overall.count else None,
            note=(
                f"Scores from {self.definition.scale_min} to {self.definition.scale_max}. "
                "Each counts whoever has a baseline and a later reading; the change and the "
                "percentage are worked out before rounding."
            ),
            numeric={1, 2, 3, 4, 5},
        )

    def chart(self) -> SafeString:
        shown_rows = [row for row in self.rows if row.count]
        return bar_chart(
            title=f"{self.definition.name}: average baseline and latest score by area",
            labels=[row.name for row in shown_rows],
            series=[
                Series("Average baseline", [shown(row.baseline) for row in shown_rows]),
                Series("Average latest", [shown(row.latest) for row in shown_rows]),
            ],
        )


def stars_report(
    *, user, star: str = "", date_from: date | None = None, date_to: date | None = None
) -> list[StarCohort]:
    """Each Star (or the one named), over the readings of the families the user may see that
    fall in the period; a fixed number of queries however many readings."""
    definitions = [
        d for d in star_definition_list() if not star or d.name.lower() == star.strip().lower()
    ]
    chosen = definitions[0] if star and definitions else None
    readings = star_reading_list(user=user, definition=chosen, date_from=date_from, date_to=date_to)
    by_definition: dict[int, list[Reading]] = {}
    for r in readings:
        by_definition.setdefault(r.definition_id, []).append(
            Reading(
                subject=("person", r.person_id) if r.person_id else ("family", r.family_id),
                read_on=r.read_on,
                kind=r.kind,
                scores=_scores(r),
                order=r.pk,
            )
        )
    cohorts = []
    for definition in definitions:
        areas = list(definition.areas.all())
        identifiers = {a.pk: a.identifier for a in areas}
        plain = [
            Reading(
                subject=x.subject,
                read_on=x.read_on,
                kind=x.kind,
                scores={identifiers[k]: v for k, v in x.scores.items() if k in identifiers},
                order=x.order,
            )
            for x in by_definition.get(definition.pk, [])
        ]
        rows, overall = cohort_change([(a.identifier, a.name) for a in areas], plain)
        cohorts.append(StarCohort(definition=definition, rows=rows, overall=overall))
    return cohorts


def _scores(reading) -> dict[int, int]:
    return {s.area_id: s.score for s in reading.scores.all()}


# --- the page: /reports/stars/ -------------------------------------------------------------------


class StarsFilterForm(GovukFormMixin, forms.Form):
    """Which Star, and optionally the period the readings fall in."""

    star = forms.ChoiceField(label="Star", required=False)
    date_from = GovukDateField(
        label="Readings from", required=False, help_text="For example, 1 4 2015"
    )
    date_to = GovukDateField(
        label="Readings to", required=False, help_text="For example, 31 3 2016"
    )

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["star"].choices = [("", "All Stars"), *[(n, n) for n in names]]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return data


@require_GET
def stars_page(request):
    from .views import require_report_reader

    require_report_reader(request)
    names = [d.name for d in star_definition_list()]
    form = StarsFilterForm(request.GET or None, names=names)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cohorts = []
    if not form.is_bound or form.is_valid():
        cohorts = stars_report(
            user=request.user,
            star=filters.get("star", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
    tables = [cohort.table() for cohort in cohorts]
    download = download_response(request, tables)
    if download is not None:
        return download
    query = request.GET.copy()
    for key in ("download", "table"):
        query.pop(key, None)
    return render(
        request,
        "reports/stars.html",
        {
            "form": form,
            "sections": [
                {"cohort": c, "table": t, "chart": c.chart()}
                for c, t in zip(cohorts, tables, strict=True)
            ],
            "query": query.urlencode(),
        },
    )
