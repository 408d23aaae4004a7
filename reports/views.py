"""The reports pages: authorise, read through selectors, render. Reports write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .permissions import can_view_reports

# (title, url name, what it answers). Each report adds its own line.
REPORT_INDEX: list[tuple[str, str, str]] = []
REPORT_INDEX.append(
    (
        "Outcome Stars",
        "reports:stars",
        "How far families and children moved on Family Star Plus and My Star, area by area, "
        "from their baseline to their most recent reading.",
    )
)


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
