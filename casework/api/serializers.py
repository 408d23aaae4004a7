"""The shape of a family's plan in the API (read only)."""

from __future__ import annotations

from rest_framework import serializers


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    assignee = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    done_by = serializers.CharField(allow_null=True, source="done_by.display_name", default=None)
    overdue = serializers.BooleanField(source="is_overdue")


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    problem = serializers.CharField(source="family_problem.problem_id")
    text = serializers.CharField()
    status = serializers.CharField()
    actions = ActionSerializer(many=True, source="actions.all")


class ProgressSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal_id")
    text = serializers.CharField()
    status = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attended = serializers.CharField()
    next_review_on = serializers.DateField()
    progress = ProgressSerializer(many=True, source="progress.all")


class AssessmentSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    problems = serializers.SerializerMethodField()
    strengths = serializers.CharField()
    family_view = serializers.CharField()
    worries = serializers.CharField()
    contributors = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    completed_by = serializers.CharField(
        allow_null=True, source="completed_by.display_name", default=None
    )

    def get_problems(self, assessment) -> list[str]:
        return [fp.problem_id for fp in assessment.problems.all()]


class FamilyPlanSerializer(serializers.Serializer):
    family = serializers.CharField()
    next_review_on = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    assessment = AssessmentSerializer(allow_null=True)
    goals = GoalSerializer(many=True)
    reviews = ReviewSerializer(many=True)


def plan_payload(family, view) -> dict:
    summary = view.summary
    return FamilyPlanSerializer(
        {
            "family": family.reference,
            "next_review_on": summary.next_review_on,
            "review_overdue": summary.review_overdue,
            "open_actions": summary.open_actions,
            "overdue_actions": summary.overdue_actions,
            "assessment": view.assessment,
            "goals": view.goals,
            "reviews": view.reviews,
        }
    ).data
