"""What the reports count: the council's families, filtered, and the periods they fall in.

Reports show counts, not anyone's details, so every report reader counts the whole council's
families: a team manager sees every team's figures, with the filter set to their own team to
start with (docs/reports.md). The one report that reads people's details, the national
identifier extract, is in `reports.returns` and has its own permission.
"""

from __future__ import annotations

from calendar import month_name
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from families.models import Family, Locality, Team, User

from .models import IdentificationTarget, programme_year_start
from .permissions import can_view_reports


@dataclass(frozen=True)
class ReportFilters:
    """Which families a report counts: a programme year (the calendar year its April falls in),
    a team and a locality; None is all of them."""

    year: int | None = None
    team: int | None = None
    locality: int | None = None


def year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of the programme year that starts on 1 April `year`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def quarter_label(start: date) -> str:
    """ "April to June 2015" for the quarter starting on 1 April 2015."""
    end = (start.replace(day=28) + timedelta(days=70)).replace(day=1) - timedelta(days=1)
    return f"{month_name[start.month]} to {month_name[end.month]} {end.year}"


def programme_year_of(on: date) -> int:
    return programme_year_start(on).year


def report_families(*, user: User, filters: ReportFilters | None = None) -> QuerySet[Family]:
    """The council's families the filters pick: in the programme at some time in the year (identified
    by its end, not closed before its start), in the team and locality."""
    if not can_view_reports(user):
        raise PermissionDenied("Your role does not include the programme reports.")
    filters = filters or ReportFilters()
    families = Family.objects.order_by()
    if filters.team:
        families = families.filter(team_id=filters.team)
    if filters.locality:
        families = families.filter(locality_id=filters.locality)
    if filters.year:
        start, end = year_bounds(filters.year)
        families = families.filter(
            Q(identified_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        )
    return families


def report_teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def report_localities() -> QuerySet[Locality]:
    return Locality.objects.order_by("name")


def identification_targets() -> dict[int, IdentificationTarget]:
    """The council's targets by programme year (one query)."""
    return {t.year_start.year: t for t in IdentificationTarget.objects.all()}


def report_years(*, today: date) -> list[int]:
    """The programme years a report can show: from the first family identified (or the first
    target) to this one (two queries)."""
    from django.db.models import Min

    first = Family.objects.aggregate(first=Min("identified_on"))["first"]
    years = {t.year_start.year for t in IdentificationTarget.objects.only("year_start")}
    this_year = programme_year_of(today)
    if first is not None:
        years.update(range(programme_year_of(first), this_year + 1))
    return sorted(years, reverse=True)
