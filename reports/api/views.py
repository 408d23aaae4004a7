"""The reports API under /api/v1/reports/ (docs/reports.md)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ..permissions import can_view_reports
from ..services_combinations import services_table


class ServicesRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The services joined by +, or a name for the row")
    label = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField())
    by_locality = serializers.DictField(child=serializers.IntegerField())
    by_area = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class ServicesLocalitySerializer(serializers.Serializer):
    name = serializers.CharField()
    area = serializers.CharField()


class ServicesReportSerializer(serializers.Serializer):
    localities = ServicesLocalitySerializer(many=True)
    areas = serializers.ListField(child=serializers.CharField())
    families = ServicesRowSerializer()
    combinations = ServicesRowSerializer(many=True)
    council_services_total = ServicesRowSerializer()


class ServicesReportViewSet(viewsets.ViewSet):
    """Who worked with the families: families for each combination of council services."""

    @extend_schema(
        operation_id="reports_services",
        responses={
            200: ServicesReportSerializer,
            403: OpenApiResponse(description="Your role does not include the programme reports."),
        },
    )
    def list(self, request):
        if not can_view_reports(request.user):
            raise PermissionDenied("Your role does not include the programme reports.")
        return Response(services_table(user=request.user).to_dict())


def register(router) -> None:
    """Each report's API viewset registers itself here."""
    from .cost_savings import CostSavingsViewSet
    from .projections import ProjectionViewSet
    from .stars import StarsReportViewSet

    router.register(r"reports/projections", ProjectionViewSet, basename="reports-projections")
    router.register(r"reports/cost-savings", CostSavingsViewSet, basename="reports-cost-savings")
    router.register(r"reports/services", ServicesReportViewSet, basename="reports-services")
    router.register(r"reports/stars", StarsReportViewSet, basename="report-stars")
