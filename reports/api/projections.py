"""`POST /api/v1/reports/projections/`: caseload and claim projections (docs/reports.md).

The serializer here is also the `report projections` command's, so both accept the same input
and answer with the same JSON. Reading the assumptions writes nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ..permissions import can_view_reports
from ..projections import ProjectionInput, QuarterCases, project

QUARTER_FORMAT = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.RegexField(
        QUARTER_FORMAT,
        help_text="The month the quarter ends, as YYYY-MM, for example 2012-09",
        error_messages={"invalid": "Enter the quarter as a year and month, like 2012-09"},
    )
    new_cases = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        help_text="Families starting work in the quarter",
        error_messages={
            "invalid": "Enter new cases as a whole number, like 39",
            "min_value": "New cases must be 0 or more",
            "max_value": "New cases must be 1,000,000 or fewer",
        },
    )


def _months(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=60,
        help_text=f"{label} in months, 1 to 60",
        error_messages={
            "invalid": f"Enter the {label.lower()} as a whole number of months",
            "min_value": f"The {label.lower()} must be at least 1 month",
            "max_value": f"The {label.lower()} must be 60 months or fewer",
        },
    )


class ProjectionInputSerializer(serializers.Serializer):
    quarters = QuarterSerializer(many=True, allow_empty=False, max_length=80)
    intervention_months = _months("Intervention length")
    sustain_months = _months("Sustain period")
    capacity = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=1_000_000,
        help_text="How many families the teams can work with at once (optional)",
        error_messages={
            "invalid": "Enter the capacity as a whole number of families",
            "min_value": "Capacity must be 0 or more",
            "max_value": "Capacity must be 1,000,000 or fewer",
        },
    )

    def validate_quarters(self, quarters):
        labels = [q["quarter"] for q in quarters]
        if any(a >= b for a, b in zip(labels, labels[1:], strict=False)):
            raise serializers.ValidationError(
                "List the quarters in order, earliest first, each once"
            )
        return quarters

    def projection_input(self) -> ProjectionInput:
        data = self.validated_data
        return ProjectionInput(
            quarters=[QuarterCases(q["quarter"], q["new_cases"]) for q in data["quarters"]],
            intervention_months=data["intervention_months"],
            sustain_months=data["sustain_months"],
            capacity=data["capacity"],
        )


class ProjectionRowSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    new_cases = serializers.IntegerField()
    cumulative_cases = serializers.IntegerField()
    potential_claims = serializers.IntegerField()
    cumulative_claims = serializers.IntegerField()
    net_case_holding = serializers.IntegerField()


class ProjectionSerializer(serializers.Serializer):
    intervention_months = serializers.IntegerField()
    sustain_months = serializers.IntegerField()
    capacity = serializers.IntegerField(allow_null=True)
    peak_case_holding = serializers.IntegerField()
    peak_quarter = serializers.CharField(allow_null=True)
    over_capacity_quarters = serializers.ListField(child=serializers.CharField())
    claims_after_last_quarter = serializers.IntegerField(
        help_text="Potential claims in the rows after the last quarter given (which run on, with "
        "no new cases, to the last potential claim)"
    )
    rows = ProjectionRowSerializer(many=True)


def projection_payload(data) -> dict:
    """The API's answer for this input; raises serializers.ValidationError (a 400) when invalid."""
    serializer = ProjectionInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return project(serializer.projection_input()).as_dict()


HERTFORDSHIRE_EXAMPLE = {
    "quarters": [
        {"quarter": "2012-09", "new_cases": 39},
        {"quarter": "2012-12", "new_cases": 122},
        {"quarter": "2013-03", "new_cases": 266},
    ],
    "intervention_months": 9,
    "sustain_months": 6,
    "capacity": 700,
}


class ProjectionViewSet(viewsets.ViewSet):
    """Project cumulative families, potential claims and net case holding by quarter."""

    @extend_schema(
        operation_id="reports_projections",
        request=ProjectionInputSerializer,
        responses={
            200: ProjectionSerializer,
            400: OpenApiResponse(description="Field errors, by field and row."),
            403: OpenApiResponse(description="Your role does not include the reports."),
        },
        examples=[OpenApiExample("Hertfordshire 2013", value=HERTFORDSHIRE_EXAMPLE)],
    )
    def create(self, request):
        if not can_view_reports(request.user):
            raise PermissionDenied("Your role does not include the programme reports.")
        return Response(projection_payload(request.data))
