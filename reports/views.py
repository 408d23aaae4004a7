"""The reports pages: authorise, read through selectors, render. Reports write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .permissions import can_view_reports

# (title, url name, what it answers). Each report adds its own line.
REPORT_INDEX: list[tuple[str, str, str]] = [
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
]


def require_report_reader(request) -> None:
    if not can_view_reports(request.user):
        raise PermissionDenied("Your role does not include the programme reports.")


@require_GET
def index(request):
    require_report_reader(request)
    from django.urls import reverse

    reports = [
        {"title": title, "url": reverse(name), "summary": summary}
        for title, name, summary in REPORT_INDEX
    ]
    return render(request, "reports/index.html", {"reports": reports})
