"""The projections and cost savings pages: parse, authorise, work out, render. They write nothing."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .calculator_forms import CostSavingsForm, ProjectionForm
from .charts import Series, bar_chart
from .cost_savings import CostSavings, UnitCostItem, cost_savings
from .examples import FAMILY_E
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
            f"The rows after the last quarter entered, with no new cases, show when the last "
            f"{projection.claims_after_last_quarter:,} families would become claimable."
            if projection.claims_after_last_quarter
            else ""
        ),
    )


@require_GET
def projections(request):
    require_report_reader(request)
    today = timezone.localdate()
    live = attachments_by_quarter(user=request.user, today=today)
    if "source" in request.GET:
        form = shown_form = ProjectionForm(request.GET, live_quarters=live)
    else:
        # The first visit shows the live figures, worked out with the form's own defaults.
        shown_form = ProjectionForm(live_quarters=live)
        defaults = {name: field.initial for name, field in shown_form.fields.items()}
        form = ProjectionForm(defaults, live_quarters=live)
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
                Series("Families worked with", [r.cumulative_cases for r in projection.rows]),
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


def pounds(value) -> str:
    """£1,234.00, or −£1,234.00 below zero."""
    return f"−£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"


def family_e_query(unit_costs: list[UnitCostItem]) -> str:
    """The page's query string with Family E's quantities, or "" if the table lacks its costs."""
    from django.http import QueryDict

    index = {u.name: i for i, u in enumerate(unit_costs)}
    query = QueryDict(mutable=True)
    query["calculate"] = "1"
    for period, quantities in FAMILY_E.items():
        for q in quantities:
            if q.item not in index:
                return ""
            query[f"{period}-{index[q.item]}"] = f"{q.quantity.normalize():f}"
    return query.urlencode()


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
            "figures": [
                ("Costs in the 6 months before", pounds(result.cost_before)),
                ("Intervention cost", pounds(result.intervention_cost)),
                ("Costs in the 6 months after", pounds(result.cost_after)),
                ("Savings", pounds(result.savings)),
                (
                    "Saved for each £1 spent",
                    pounds(result.saved_per_pound)
                    if result.saved_per_pound is not None
                    else "Nothing was spent on the intervention",
                ),
            ]
            if result
            else [],
            "result_table": tables[0] if result else None,
            "unit_cost_table": tables[-1],
            "example_query": family_e_query(unit_costs),
            "query": _query(request),
        },
    )
