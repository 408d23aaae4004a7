"""The reports API under /api/v1/reports/ (docs/reports.md)."""

from __future__ import annotations


def register(router) -> None:
    """Each report's API viewset registers itself here."""
    from .stars import StarsReportViewSet

    router.register(r"reports/stars", StarsReportViewSet, basename="report-stars")
