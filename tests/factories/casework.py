"""Casework factories: early help assessments, family plans, goals, actions and reviews.

Plain rows written through the models (no row history, no timeline events): tests that need the
events a keyworker's changes record go through `casework.services`. Dates that matter to what is
due are relative to today, so "overdue" means overdue whenever the tests run.

Named states: `AssessmentFactory` (a draft), `CompletedAssessmentFactory`; `FamilyPlanFactory`
(review due in a fortnight), `OverdueReviewPlanFactory`; `GoalFactory`, `AchievedGoalFactory`;
`ActionFactory` (open, due in a week), `OverdueActionFactory`, `DoneActionFactory`;
`ReviewFactory`.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from casework.models import Action, Assessment, FamilyPlan, Goal, Review
from families.models import FamilyProblem

from .families import AttachedFamilyFactory, problem


def _today() -> dt.date:
    return timezone.localdate()


def family_problem(family, code: str = "school_attendance") -> FamilyProblem:
    """The family's identified problem with this code, identified if it was not yet."""
    found, _ = FamilyProblem.objects.get_or_create(
        family=family,
        problem=problem(code),
        defaults={"identified_on": family.identified_on, "evidence": "From the referral"},
    )
    return found


class AssessmentFactory(DjangoModelFactory):
    """A draft assessment (version 1 unless given) of the school attendance problem."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    family = factory.SubFactory(AttachedFamilyFactory)
    version = 1
    strengths = "Mum is determined; grandparents help with the school run."
    family_view = "We want Tom to enjoy school again."
    worries = "Tom has missed a lot of school this term."
    contributors = "Mum, Tom, the school's family support worker"
    created_by = factory.LazyAttribute(lambda a: a.family.lead_keyworker)

    @factory.post_generation
    def problems(obj, create, extracted, **kwargs):
        if create:
            obj.problems.set(extracted if extracted is not None else [family_problem(obj.family)])


class CompletedAssessmentFactory(AssessmentFactory):
    completed_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=30))
    completed_by = factory.LazyAttribute(lambda a: a.family.lead_keyworker)


class FamilyPlanFactory(DjangoModelFactory):
    """A family's plan whose next review is in a fortnight."""

    class Meta:
        model = FamilyPlan
        django_get_or_create = ("family",)

    family = factory.SubFactory(AttachedFamilyFactory)
    next_review_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=14))
    created_by = factory.LazyAttribute(lambda p: p.family.lead_keyworker)


class OverdueReviewPlanFactory(FamilyPlanFactory):
    next_review_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=5))


class GoalFactory(DjangoModelFactory):
    """An in-progress goal about the family's school attendance."""

    class Meta:
        model = Goal

    plan = factory.SubFactory(FamilyPlanFactory)
    family_problem = factory.LazyAttribute(lambda g: family_problem(g.plan.family))
    text = "Tom goes to school every day"
    status = Goal.Status.IN_PROGRESS
    created_by = factory.LazyAttribute(lambda g: g.plan.created_by)


class AchievedGoalFactory(GoalFactory):
    status = Goal.Status.ACHIEVED


class ActionFactory(DjangoModelFactory):
    """An open action for the lead keyworker, due in a week."""

    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    text = "Meet the school's attendance officer with mum"
    assigned_user = factory.LazyAttribute(lambda a: a.goal.plan.family.lead_keyworker)
    due_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=7))
    created_by = factory.LazyAttribute(lambda a: a.goal.created_by)


class OverdueActionFactory(ActionFactory):
    due_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=3))


class DoneActionFactory(ActionFactory):
    due_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=3))
    done_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=4))
    done_by = factory.LazyAttribute(lambda a: a.goal.plan.family.lead_keyworker)


class ReviewFactory(DjangoModelFactory):
    """A review held a fortnight ago that set the next one for a fortnight ahead."""

    class Meta:
        model = Review

    plan = factory.SubFactory(FamilyPlanFactory)
    held_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=14))
    attended = "Mum, Tom and the keyworker"
    next_review_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=14))
    recorded_by = factory.LazyAttribute(lambda r: r.plan.created_by)
