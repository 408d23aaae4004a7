"""API for outcomes: a family's evaluation on a date.

`GET /api/v1/families/{reference}/evaluation/?as_of=YYYY-MM-DD` evaluates the family against the
plan in force on that date (today when left out) and returns the shape in docs/interfaces.md
section 2. Nothing is stored; the read is written to AccessLog. A family outside the user's
scope is a 404; a bad date, or a date no plan covers, is a 400.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from families import selectors as family_selectors
from families.access import shown
from outcomes.engine import EvidenceError
from outcomes.selectors.evaluations import default_as_of, family_evaluation_live

from .serializers import EvaluationQuerySerializer, EvaluationSerializer, evaluation_payload


class FamilyEvaluationViewSet(viewsets.ViewSet):
    """A family's outcomes evaluation under the plan in force on a date."""

    lookup_value_regex = r"[^/.]+"

    @extend_schema(
        operation_id="family_evaluation",
        parameters=[
            OpenApiParameter(
                "family_reference", str, OpenApiParameter.PATH, description="For example F-000123"
            ),
            OpenApiParameter(
                "as_of",
                str,
                description="YYYY-MM-DD; when left out, today (a closed family: its closure date)",
            ),
        ],
        responses={
            200: EvaluationSerializer,
            400: OpenApiResponse(description="A bad date, or no outcomes plan in force on it."),
            404: OpenApiResponse(description="No such family among the families you may see."),
        },
    )
    def list(self, request, family_reference: str = ""):
        family = family_selectors.family_get(user=request.user, reference=family_reference)
        query = EvaluationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or default_as_of(family=family)
        try:
            live = family_evaluation_live(family=family, as_of=as_of)
        except EvidenceError as error:
            raise ValidationError(
                {"evidence": [f"A record for this family cannot be evaluated: {error}"]}
            ) from None
        if live is None:
            raise ValidationError(
                {"as_of": [f"No outcomes plan is in force on {as_of.isoformat()}."]}
            )
        shown(request, [family], action="evaluation")
        return Response(evaluation_payload(live.to_dict()))


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register(
        r"families/(?P<family_reference>[^/.]+)/evaluation",
        FamilyEvaluationViewSet,
        basename="family-evaluation",
    )
