"""API for a family's plan: `GET /api/v1/families/{reference}/plan/` (read only).

The current early help assessment, the goals with their actions, the reviews and what is due
(docs/casework-plans.md). A family outside the user's scope is a 404; the read is written to
AccessLog.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from families import selectors as family_selectors
from families.access import shown

from ..selectors import family_plan_get
from .serializers import FamilyPlanSerializer, plan_payload


class FamilyPlanViewSet(viewsets.ViewSet):
    """A family's assessment, plan and reviews."""

    lookup_value_regex = r"[^/.]+"

    @extend_schema(
        operation_id="family_plan",
        parameters=[
            OpenApiParameter(
                "family_reference", str, OpenApiParameter.PATH, description="For example F-000123"
            )
        ],
        responses={
            200: FamilyPlanSerializer,
            404: OpenApiResponse(description="No such family among the families you may see."),
        },
    )
    def list(self, request, family_reference: str = ""):
        family = family_selectors.family_get(user=request.user, reference=family_reference)
        view = family_plan_get(user=request.user, family=family)
        shown(request, [family], action="family plan")
        return Response(plan_payload(family, view))


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register(
        r"families/(?P<family_reference>[^/.]+)/plan", FamilyPlanViewSet, basename="family-plan"
    )
