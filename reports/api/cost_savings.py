"""`POST /api/v1/reports/cost-savings/`: a family's (or a cohort's) cost savings (docs/reports.md).

The serializer here is also the `report cost-savings` command's, so both accept the same input
and answer with the same JSON. Without `unit_costs` in the input, the council's unit cost table
is used. Working the figures out writes nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ..cost_savings import CostError, CostSavings, Quantity, UnitCostItem, cost_savings
from ..permissions import can_view_reports
from ..unit_costs import unit_cost_list

MONEY = {"max_digits": 10, "decimal_places": 2}


class UnitCostInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    unit = serializers.CharField(max_length=60, required=False, default="")
    cost = serializers.DecimalField(
        **MONEY,
        min_value=0,
        help_text="Pounds and pence, for example 33.00",
        error_messages={"min_value": "A unit cost must be £0 or more"},
    )


class QuantityInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=120, help_text="The unit cost's name")
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text="How many units, for example 62 (hours) or 1.5",
        error_messages={"min_value": "A quantity must be 0 or more"},
    )


def _period(help_text: str) -> QuantityInputSerializer:
    return QuantityInputSerializer(many=True, required=False, default=list, help_text=help_text)


class CostSavingsInputSerializer(serializers.Serializer):
    unit_costs = UnitCostInputSerializer(
        many=True,
        required=False,
        help_text="The unit costs to use; leave out to use the council's unit cost table",
    )
    before = _period("Services used in the 6 months before the intervention")
    during = _period("The intervention: background cost per family and worker time")
    after = _period("Services used in the 6 months after the intervention")

    def validate_unit_costs(self, value):
        names = [u["name"].strip().casefold() for u in value]
        if len(set(names)) != len(names):
            raise serializers.ValidationError("Give each unit cost a different name")
        return value

    def validate(self, attrs):
        if "unit_costs" in attrs:
            table = [
                UnitCostItem(name=u["name"], unit=u["unit"], cost=u["cost"])
                for u in attrs["unit_costs"]
            ]
        else:
            table = unit_cost_list()
        try:
            attrs["result"] = cost_savings(
                unit_costs=table,
                before=[Quantity(q["item"], q["quantity"]) for q in attrs["before"]],
                during=[Quantity(q["item"], q["quantity"]) for q in attrs["during"]],
                after=[Quantity(q["item"], q["quantity"]) for q in attrs["after"]],
            )
        except CostError as error:
            # Shaped like DRF's own errors for a row of a list: {"after": {1: {"item": [...]}}}.
            period, index, field = error.path
            raise serializers.ValidationError({period: {index: {field: [error.message]}}}) from None
        return attrs

    def result(self) -> CostSavings:
        return self.validated_data["result"]


class CostLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    unit = serializers.CharField()
    cost = serializers.DecimalField(**MONEY)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class BreakdownSerializer(serializers.Serializer):
    before = CostLineSerializer(many=True)
    during = CostLineSerializer(many=True)
    after = CostLineSerializer(many=True)


class CostSavingsSerializer(serializers.Serializer):
    cost_before = serializers.DecimalField(max_digits=14, decimal_places=2)
    intervention_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_after = serializers.DecimalField(max_digits=14, decimal_places=2)
    savings = serializers.DecimalField(max_digits=14, decimal_places=2)
    saved_per_pound = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Savings for each £1 the intervention cost; null when it cost nothing",
    )
    breakdown = BreakdownSerializer()


def cost_savings_payload(data) -> dict:
    """The API's answer for this input; raises serializers.ValidationError (a 400) when invalid."""
    serializer = CostSavingsInputSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.result().as_dict()


EXAMPLE = {
    "unit_costs": [
        {"name": "Police call-out time", "unit": "per hour", "cost": "33.00"},
        {"name": "Arrest", "unit": "per arrest", "cost": "1930.00"},
        {"name": "Programme background cost", "unit": "per family", "cost": "3789.00"},
        {"name": "Drugs programme", "unit": "per programme", "cost": "1000.00"},
    ],
    "before": [
        {"item": "Police call-out time", "quantity": "62"},
        {"item": "Arrest", "quantity": "3"},
    ],
    "during": [{"item": "Programme background cost", "quantity": "1"}],
    "after": [{"item": "Drugs programme", "quantity": "1"}],
}


class CostSavingsViewSet(viewsets.ViewSet):
    """Cost before, intervention cost, cost after, savings and savings per £1."""

    @extend_schema(
        operation_id="reports_cost_savings",
        request=CostSavingsInputSerializer,
        responses={
            200: CostSavingsSerializer,
            400: OpenApiResponse(description="Field errors, by field and row."),
            403: OpenApiResponse(description="Your role does not include the reports."),
        },
        examples=[OpenApiExample("Part of Family E", value=EXAMPLE)],
    )
    def create(self, request):
        if not can_view_reports(request.user):
            raise PermissionDenied("Your role does not include the programme reports.")
        return Response(cost_savings_payload(request.data))
