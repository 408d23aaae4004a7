"""The projections and cost savings pages: parse, authorise, work out, render. They write nothing."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .calculator_forms import CostSavingsForm, ProjectionForm
from .charts import Series, bar_chart
from .cost_savings import CostSavings, cost_savings
from .projections import Projection, project, quarter_label
from .projections_live import attachments_by_quarter
from .tables import Table, download_response
from .unit_costs import unit_cost_list
from .views import require_report_reader


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("download", None)
    query.pop("table", None)
    return query.urlencode()


def projection_table(projection: Projection) -> Table:
    return Table(
        slug="projections",
        title="Projected caseload and claims by quarter",
        columns=[
            "Quarter ending",
            "New cases",
            "Families worked with (cumulative)",
            "Potential claims",
            "Cumulative claims",
            "Net case holding",
        ],
        rows=[
            [
                quarter_label(r.quarter),
                r.new_cases,
                r.cumulative_cases,
                r.potential_claims,
                r.cumulative_claims,
                r.net_case_holding,
            ]
            for r in projection.rows
        ],
        numeric={1, 2, 3, 4, 5},
        note=(
            f"{projection.claims_after_last_quarter:,} more families would become claimable after "
            "the last quarter shown."
            if projection.claims_after_last_quarter
            else ""
        ),
    )


@require_GET
def projections(request):
    require_report_reader(request)
    today = timezone.localdate()
    live = attachments_by_quarter(user=request.user, today=today)
    data = request.GET if "source" in request.GET else None
    form = ProjectionForm(data, live_quarters=live)
    if data is None:
        form = ProjectionForm(
            {
                "source": "live",
                "quarters_ahead": 6,
                "new_cases_ahead": 0,
                "intervention_months": 9,
                "sustain_months": 6,
                "capacity": 700,
            },
            live_quarters=live,
        )
        form.is_valid()
        shown_form = ProjectionForm(initial={}, live_quarters=live)
    else:
        shown_form = form
    projection = project(form.projection_input) if form.is_valid() else None
    context = {"form": shown_form, "projection": projection, "live": live, "query": _query(request)}
    if projection:
        table = projection_table(projection)
        response = download_response(request, [table])
        if response:
            return response
        labels = [quarter_label(r.quarter) for r in projection.rows]
        context["table"] = table
        context["peak_label"] = (
            quarter_label(projection.peak_quarter) if projection.peak_quarter else ""
        )
        context["over_capacity"] = [quarter_label(q) for q in projection.over_capacity_quarters]
        context["claims_chart"] = bar_chart(
            title="Families worked with and potential claims, by quarter",
            labels=labels,
            series=[
                Series(
                    "Families worked with (cumulative)",
                    [r.cumulative_cases for r in projection.rows],
                ),
                Series("Potential claims", [r.potential_claims for r in projection.rows]),
            ],
        )
        context["holding_chart"] = bar_chart(
            title="Net case holding against capacity, by quarter",
            labels=labels,
            series=[
                Series("Net case holding", [r.net_case_holding for r in projection.rows]),
                Series("Capacity", [projection.capacity for _ in projection.rows]),
            ],
        )
    return render(request, "reports/projections.html", context)


def _result_table(result: CostSavings) -> Table:
    rows = []
    for period, lines in (
        ("6 months before", result.before),
        ("Intervention", result.during),
        ("6 months after", result.after),
    ):
        for line in lines:
            rows.append(
                [
                    f"{line.item} ({period.lower()})",
                    line.quantity,
                    line.unit,
                    line.cost,
                    line.amount,
                ]
            )
    return Table(
        slug="cost-savings",
        title="Costs worked out",
        columns=["Service", "Quantity", "Unit", "Unit cost (£)", "Cost (£)"],
        rows=rows,
        numeric={1, 3, 4},
    )


def unit_cost_table(unit_costs) -> Table:
    return Table(
        slug="unit-costs",
        title="Unit costs",
        columns=["Service", "Unit", "Cost (£)", "Source"],
        rows=[[u.name, u.unit, u.cost, u.source] for u in unit_costs],
        numeric={2},
    )


@require_GET
def cost_savings_page(request):
    require_report_reader(request)
    unit_costs = unit_cost_list()
    submitted = "calculate" in request.GET
    form = CostSavingsForm(request.GET if submitted else None, unit_costs=unit_costs)
    result = None
    if submitted and form.is_valid():
        result = cost_savings(unit_costs=unit_costs, **form.quantities())
    tables = [unit_cost_table(unit_costs)]
    if result:
        tables.insert(0, _result_table(result))
    response = download_response(request, tables)
    if response:
        return response
    return render(
        request,
        "reports/cost_savings.html",
        {
            "form": form,
            "result": result,
            "result_table": tables[0] if result else None,
            "unit_cost_table": tables[-1],
            "query": _query(request),
        },
    )
