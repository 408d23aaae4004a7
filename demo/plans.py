"""The demo families' early help assessments, plans and reviews, dated from the day the demo
is loaded and written through `casework.services` by each family's lead keyworker, each step on
the day it happened (`demo.clock`), so the timeline and row history read as the work was done.

Every open, attached family led by a keyworker gets a completed assessment a few weeks after
attachment, a goal for each of (up to three of) its problems, an action done and an action open
under each goal, and, once it has been attached six weeks, a review. So that every demo keyworker
has something due: their first family's review falls due this week and one of its actions is
overdue; their second family's review is overdue. The rest are reviewed every six weeks with
their next review ahead. The most recently attached family's assessment is still a draft.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from casework import services
from casework.models import Goal
from casework.services import GoalUpdate
from families import services as family_services
from families.models import CaseNote, Family, Membership

from .clock import DemoClock

# Per problem: (the goal, an action done, an action still to do), in the family's words.
GOALS = {
    "crime_asb": (
        "No more police call-outs to the house",
        "Meet the neighbourhood police officer with the family",
        "Agree a plan with the youth worker for evenings out",
    ),
    "school_attendance": (
        "The children go to school every day",
        "Meet the school's attendance officer",
        "Set up a morning routine chart with the children",
    ),
    "children_need_help": (
        "The children feel safe and looked after at home",
        "Refer the youngest to the children's centre",
        "Book a parenting course place",
    ),
    "worklessness": (
        "An adult in the family back in work or training",
        "Go with mum to the Jobcentre Plus appointment",
        "Apply for the college's return-to-work course",
    ),
    "domestic_abuse": (
        "Everyone in the home is safe",
        "Complete a safety plan with the domestic abuse service",
        "Check in with the domestic abuse outreach worker",
    ),
    "health": (
        "Mum gets the health support she needs",
        "Register with the GP practice",
        "Go to the first talking-therapy appointment",
    ),
}
STRENGTHS = [
    "The family are close and want things to change. Grandparents help with childcare.",
    "Mum is determined and keeps appointments. The children are fond of their school.",
    "Dad has steady work. The family have good friends on the estate.",
]
VIEWS = [
    "“We want the children settled at school and some peace at home.”",
    "“We've had too many people telling us what to do. We want one person who listens.”",
    "“I want to get back to work and for the kids to be proud of me.”",
]
PROGRESS = [
    "Some progress: the family are working on it.",
    "A better few weeks; keep going with the plan.",
    "A setback this month, but the family want to carry on.",
]
REVIEW_EVERY = timedelta(days=42)
REVIEWS_KEPT = 3
WORRIES = [
    "Attendance has dropped this year; money is tight since the benefits changed.",
    "Arguments at home are getting worse; the eldest is staying out late.",
    "Mum's health has got worse and the children are missing school to help.",
]


def _on_or_before(day: date, today: date) -> date:
    return min(day, today)


def _open_families_by_keyworker(families: list[Family]) -> dict[int, list[Family]]:
    # Read afresh: the earlier steps may have closed families (a payment that closes them).
    current = Family.objects.filter(
        pk__in=[f.pk for f in families],
        status=Family.Status.ATTACHED,
        lead_keyworker__isnull=False,
        attached_on__isnull=False,
    ).order_by("reference")
    by_keyworker: dict[int, list[Family]] = defaultdict(list)
    for family in current:
        by_keyworker[family.lead_keyworker_id].append(family)
    return by_keyworker


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """Assessments, plans and reviews for the new demo families (not for synthetic data)."""
    if synthetic or not families:
        return
    today = today or timezone.localdate()
    clock = DemoClock(today)
    written = 0
    for caseload in _open_families_by_keyworker(families).values():
        newest = max(caseload, key=lambda f: f.attached_on)
        for place, family in enumerate(caseload):
            _plan_family(family, place, family is newest, rng, today, clock)
            written += 1
    if stdout is not None and written:
        stdout.write(f"Family plans: {written} families with goals, actions and reviews")


def _plan_family(
    family: Family, place: int, newest: bool, rng: random.Random, today: date, clock: DemoClock
) -> None:
    family = Family.objects.select_related("lead_keyworker").get(pk=family.pk)
    worker = family.lead_keyworker
    problems = list(family.problems.select_related("problem").order_by("problem__number"))[:3]
    if not problems:
        return
    attached = family.attached_on
    assessed_on = _on_or_before(attached + timedelta(days=rng.randint(10, 25)), today)
    with clock.at(assessed_on, 15):
        services.assessment_save(
            actor=worker,
            family=family,
            problems=problems,
            strengths=rng.choice(STRENGTHS),
            family_view=rng.choice(VIEWS),
            worries=rng.choice(WORRIES),
            contributors="The parents, the children and the school's family support worker",
            completed_on=None if newest else assessed_on,
        )
    goals = []
    for fp in problems:
        goal_text, done_text, open_text = GOALS[fp.problem_id]
        with clock.at(assessed_on, 16):
            goal = services.goal_add(
                actor=worker,
                family=family,
                family_problem=fp,
                text=goal_text,
                status=Goal.Status.IN_PROGRESS,
            )
            done = services.action_add(
                actor=worker,
                goal=goal,
                text=done_text,
                due_on=assessed_on + timedelta(days=14),
                assigned_user=worker,
            )
        done_on = _on_or_before(assessed_on + timedelta(days=rng.randint(3, 12)), today)
        with clock.at(done_on, 12):
            services.action_complete(actor=worker, action=done, done_on=done_on)
        goals.append((goal, open_text))

    # When the open actions fall due: the first family's first action is overdue; the rest ahead.
    adult = (
        Membership.objects.filter(family=family, role="adult", end_date__isnull=True)
        .select_related("person")
        .first()
    )
    for number, (goal, open_text) in enumerate(goals):
        if place == 0 and number == 0:
            due_on = today - timedelta(days=rng.randint(3, 9))
        else:
            due_on = today + timedelta(days=rng.randint(5, 40))
        with clock.at(_on_or_before(assessed_on + timedelta(days=1), today), 10):
            services.action_add(
                actor=worker,
                goal=goal,
                text=open_text,
                due_on=due_on,
                assigned_person=adult.person if adult and number % 2 else None,
                assigned_user=None if adult and number % 2 else worker,
            )

    # Reviews every six weeks since the assessment (the last few), the last one setting the
    # next date: this week for the keyworker's first family, overdue for their second.
    if place == 0:
        next_review_on = today + timedelta(days=rng.randint(1, 5))
    elif place == 1:
        next_review_on = today - timedelta(days=rng.randint(2, 10))
    else:
        next_review_on = today + timedelta(days=rng.randint(10, 40))
    held = []
    day = next_review_on - REVIEW_EVERY
    while day > assessed_on and day <= today and len(held) < REVIEWS_KEPT:
        held.insert(0, day)
        day -= REVIEW_EVERY
    if not held:
        # Too soon for a review: just the date of the first one.
        with clock.at(assessed_on, 17):
            services.plan_review_date_set(
                actor=worker, family=family, next_review_on=max(next_review_on, today)
            )
        return
    for number, held_on in enumerate(held):
        last = number == len(held) - 1
        with clock.at(held_on, 14):
            services.review_record(
                actor=worker,
                family=family,
                held_on=held_on,
                attended="The parents, the children and the keyworker",
                next_review_on=next_review_on if last else held[number + 1],
                progress={
                    goal.pk: GoalUpdate(text=rng.choice(PROGRESS), status=Goal.Status.IN_PROGRESS)
                    for goal, _ in goals
                },
            )
            # The review was a meeting with the family: the keyworker's note of it.
            family_services.case_note_add(
                actor=worker,
                family=family,
                kind=CaseNote.Kind.MEETING,
                occurred_on=held_on,
                text="Plan review with the family: we went through each goal and agreed the "
                "next steps.",
                present=[
                    m.person
                    for m in family.memberships.filter(end_date=None).select_related("person")[:2]
                ],
            )
