"""`GET /api/v1/reports/stars/`: the Outcome Stars report's table as JSON (docs/reports.md).

Query parameters `star` (a Star's name, for example `My Star`), `from` and `to` (YYYY-MM-DD,
the period the readings fall in), all optional. For the roles that read reports
(`reports.permissions.can_view_reports`), over the families each may see; 400 with field
errors for a bad parameter.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from casework.selectors import star_definition_list

from ..permissions import can_view_reports
from ..stars import shown, stars_report


class StarsQuerySerializer(serializers.Serializer):
    star = serializers.CharField(required=False, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate_star(self, value: str) -> str:
        names = {d.name.lower() for d in star_definition_list()}
        if value and value.strip().lower() not in names:
            raise serializers.ValidationError(
                "Enter the name of a Star the council uses, for example My Star"
            )
        return value

    def validate(self, data):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"to": "The end of the period must be on or after its start"}
            )
        return data


class FiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="People or families with both readings")
    average_baseline = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    average_latest = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    percentage_change = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


class AreaFiguresSerializer(FiguresSerializer):
    area = serializers.CharField(help_text="The area's identifier, as partner files name it")
    name = serializers.CharField()


class StarFiguresSerializer(serializers.Serializer):
    star = serializers.CharField()
    counts = serializers.ChoiceField(choices=["families", "people"])
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    areas = AreaFiguresSerializer(many=True)
    all_areas = FiguresSerializer()


class StarsReportSerializer(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    stars = StarFiguresSerializer(many=True)


def _change(change) -> dict:
    return {
        "count": change.count,
        "average_baseline": shown(change.baseline),
        "average_latest": shown(change.latest),
        "change": shown(change.change),
        "percentage_change": shown(change.percent),
    }


EXAMPLE = {
    "date_from": None,
    "date_to": None,
    "stars": [
        {
            "star": "My Star",
            "counts": "people",
            "scale_min": 1,
            "scale_max": 5,
            "areas": [
                {
                    "area": "physical_health",
                    "name": "Physical health",
                    "count": 5,
                    "average_baseline": "2.60",
                    "average_latest": "3.40",
                    "change": "0.80",
                    "percentage_change": "30.77",
                }
            ],
            "all_areas": {
                "count": 5,
                "average_baseline": "2.60",
                "average_latest": "3.40",
                "change": "0.80",
                "percentage_change": "30.77",
            },
        }
    ],
}


class StarsReportViewSet(viewsets.ViewSet):
    """The Outcome Stars report: per Star and area, the average baseline and latest scores."""

    @extend_schema(
        operation_id="report_stars",
        parameters=[
            OpenApiParameter("star", str, description="A Star's name, for example My Star"),
            OpenApiParameter("from", str, description="Readings on or after, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Readings on or before, YYYY-MM-DD"),
        ],
        responses={
            200: StarsReportSerializer,
            400: OpenApiResponse(description="A parameter is not valid: the errors by field."),
            403: OpenApiResponse(description="Your role does not include the reports."),
        },
        examples=[OpenApiExample("My Star in Oxfordshire's phase 1", value=EXAMPLE)],
    )
    def list(self, request):
        if not can_view_reports(request.user):
            raise PermissionDenied("Your role does not include the programme reports.")
        params = {
            key: request.query_params[name]
            for key, name in (("star", "star"), ("date_from", "from"), ("date_to", "to"))
            if name in request.query_params
        }
        query = StarsQuerySerializer(data=params)
        if not query.is_valid():
            errors = {
                {"date_from": "from", "date_to": "to"}.get(k, k): v for k, v in query.errors.items()
            }
            return Response(errors, status=400)
        data = query.validated_data
        cohorts = stars_report(
            user=request.user,
            star=data.get("star", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        body = {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "stars": [
                {
                    "star": c.definition.name,
                    "counts": "families" if c.definition.subject == "family" else "people",
                    "scale_min": c.definition.scale_min,
                    "scale_max": c.definition.scale_max,
                    "areas": [
                        {"area": row.identifier, "name": row.name, **_change(row)} for row in c.rows
                    ],
                    "all_areas": _change(c.overall),
                }
                for c in cohorts
            ],
        }
        return Response(StarsReportSerializer(body).data)
