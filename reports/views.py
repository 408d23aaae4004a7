"""The reports pages: authorise, read through selectors, render. Reports write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from families.models import User

from . import returns as national_returns
from .charts import Series, bar_chart
from .dashboard import dashboard as dashboard_figures
from .forms import NationalExtractForm, ReportFilterForm
from .permissions import can_export_national_extract, can_view_reports
from .selectors import ReportFilters, report_localities, report_teams, report_years
from .services_combinations import services_chart_rows, services_table
from .tables import download_response

# (title, url name, what it answers). Each report adds its own line.
REPORT_INDEX: list[tuple[str, str, str]] = [
    (
        "Programme dashboard",
        "reports:dashboard",
        "Families identified, attached, closed and claimed for by programme year against the "
        "council's targets; outcomes met for each problem; families by locality; claims and "
        "income.",
    ),
    (
        "Who worked with the families",
        "reports:services",
        "For each combination of the council's services, how many families they worked with, "
        "by locality and area.",
    ),
    (
        "National returns",
        "reports:returns",
        "The quarterly progress return, and the identifier extract for the national impact study.",
    ),
    (
        "Projections",
        "reports:projections",
        "How many families will be worked with, claimable and held each quarter, from new cases, "
        "the length of the intervention and the sustain period.",
    ),
    (
        "Cost savings",
        "reports:cost_savings",
        "What a family's (or a cohort's) services cost before and after the intervention, "
        "priced from the council's unit costs, and what was saved for each £1 spent.",
    ),
    (
        "Outcome Stars",
        "reports:stars",
        "How far families and children moved on Family Star Plus and My Star, area by area, "
        "from their baseline to their most recent reading.",
    ),
]


def require_report_reader(request) -> None:
    if not can_view_reports(request.user):
        raise PermissionDenied("Your role does not include the programme reports.")


@require_GET
def index(request):
    require_report_reader(request)
    reports = [
        {"title": title, "url": reverse(name), "summary": summary}
        for title, name, summary in REPORT_INDEX
    ]
    return render(request, "reports/index.html", {"reports": reports})


def _filter_form(request) -> ReportFilterForm:
    """The filters from the query string; a team manager's first visit shows their own team."""
    submitted = any(key in request.GET for key in ("year", "team", "locality"))
    initial = {}
    if request.user.role == User.Role.TEAM_MANAGER and request.user.team_id:
        initial["team"] = request.user.team_id
    return ReportFilterForm(
        request.GET if submitted else None,
        initial=initial,
        years=report_years(today=timezone.localdate()),
        teams=report_teams(),
        localities=report_localities(),
    )


def _query(filters: ReportFilters) -> str:
    """The filters in force, every one named (an empty one is "all"), so a download counts what
    the page shows: a team manager who chose all teams does not get their own team's file."""
    values = (("year", filters.year), ("team", filters.team), ("locality", filters.locality))
    return "&".join(f"{key}={'' if value is None else value}" for key, value in values)


@require_GET
def dashboard(request):
    require_report_reader(request)
    form = _filter_form(request)
    filters = form.filters()
    report = dashboard_figures(user=request.user, filters=filters)
    download = download_response(request, report.tables)
    if download is not None:
        return download
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report": report,
            "query": _query(filters),
            # The near-miss list names families: only the roles that work them may open it.
            "near_miss_link": request.user.role
            in (User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER),
        },
    )


@require_GET
def services(request):
    require_report_reader(request)
    result = services_table(user=request.user)
    table = result.to_table()
    download = download_response(request, [table])
    if download is not None:
        return download
    labels, totals = services_chart_rows(result)
    chart = bar_chart(
        title="Families by which council services worked with them",
        labels=labels,
        series=[Series("Families", totals)],
    )
    return render(
        request,
        "reports/services.html",
        {"table": table, "chart": chart, "services": result, "query": ""},
    )


@require_http_methods(["GET", "POST"])
def returns(request):
    require_report_reader(request)
    may_export = can_export_national_extract(request.user)
    form = NationalExtractForm(request.POST or None) if may_export else None
    if request.method == "POST":
        if not may_export:
            raise PermissionDenied(
                "Only a programme manager or a data officer can export identifiers."
            )
        if form.is_valid():
            body = national_returns.national_extract_csv(
                user=request.user, purpose=form.cleaned_data["purpose"]
            )
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = (
                f'attachment; filename="national-impact-study-identifiers-{stamp}.csv"'
            )
            response["Cache-Control"] = "no-store"
            return response
    quarterly = national_returns.quarterly_return(user=request.user)
    download = download_response(request, [quarterly])
    if download is not None:
        return download
    chart = bar_chart(
        title="Quarterly progress: families attached and outcomes met",
        labels=[r[0] for r in quarterly.rows],
        series=[
            Series(quarterly.columns[1], [r[1] for r in quarterly.rows]),
            Series(quarterly.columns[2], [r[2] for r in quarterly.rows]),
        ],
    )
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "reports/returns.html",
        {
            "form": form,
            "quarterly": quarterly,
            "chart": chart,
            "may_export": may_export,
            "query": "",
        },
        status=status,
    )
