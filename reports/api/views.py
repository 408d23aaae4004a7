"""The reports API under /api/v1/reports/ (docs/reports.md)."""

from __future__ import annotations


def register(router) -> None:
    """Each report's API viewset registers itself here."""
    from .cost_savings import CostSavingsViewSet
    from .projections import ProjectionViewSet

    router.register(r"reports/projections", ProjectionViewSet, basename="reports-projections")
    router.register(r"reports/cost-savings", CostSavingsViewSet, basename="reports-cost-savings")
