"""The evaluation as the API returns it: exactly the shape in docs/interfaces.md section 2."""

from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework import serializers


class EvaluationQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="The date to evaluate on (YYYY-MM-DD); today when left out.",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, for example 2016-09-30."},
    )

    def validate_as_of(self, value: date) -> date:
        if value.year < 1990 or value.year > 2100:
            raise serializers.ValidationError("Enter a date between 1990 and 2100.")
        return value


def evaluation_payload(result: dict[str, Any]) -> dict[str, Any]:
    """The engine's full result cut to the documented interface (no extra keys)."""
    return {
        "family": result["family"],
        "as_of": result["as_of"],
        "plan": {"slug": result["plan"]["slug"], "version": result["plan"]["version"]},
        "eligible": result["eligible"],
        "problems": [
            {
                "code": p["code"],
                "identified": p["identified"],
                "outcome": p["outcome"],
                "met_since": p["met_since"],
                "criteria": [
                    {
                        "id": c["id"],
                        "status": c["status"],
                        "explanation": c["explanation"],
                        "evidence": [{"kind": e["kind"], "id": e["id"]} for e in c["evidence"]],
                    }
                    for c in p["criteria"]
                ],
                "missing": list(p["missing"]),
            }
            for p in result["problems"]
        ],
        "claimable": {
            "results": result["claimable"]["results"],
            "continuous_employment": result["claimable"]["continuous_employment"],
        },
        "blocking": list(result["blocking"]),
    }


class EvidenceRefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()


class CriterionSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "progressing", "not_met", "not_applicable"])
    explanation = serializers.CharField()
    evidence = EvidenceRefSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    identified = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=["met", "progressing", "not_met", "not_identified"])
    met_since = serializers.DateField(allow_null=True)
    criteria = CriterionSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())


class PlanRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    version = serializers.CharField()


class ClaimableSerializer(serializers.Serializer):
    results = serializers.BooleanField()
    continuous_employment = serializers.BooleanField()


class BlockingSerializer(serializers.Serializer):
    problem = serializers.CharField(allow_null=True)
    criterion = serializers.CharField()
    status = serializers.CharField()
    explanation = serializers.CharField()
    earliest_met_on = serializers.DateField(allow_null=True)


class EvaluationSerializer(serializers.Serializer):
    """For the schema: the response of GET /api/v1/families/{reference}/evaluation/."""

    family = serializers.CharField()
    as_of = serializers.DateField()
    plan = PlanRefSerializer()
    eligible = serializers.BooleanField()
    problems = ProblemSerializer(many=True)
    claimable = ClaimableSerializer()
    blocking = BlockingSerializer(many=True)
