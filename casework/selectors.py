"""Reads of families' assessments, plans and reviews, scoped to what the user may see.

An action is *open* while it is not done and its goal is still being worked on (not started or
in progress): the actions of a goal achieved or no longer needed are not waited for. An open
action is *overdue* once its "by" date has passed (due today is not overdue); a review is
overdue once its date has passed. Nothing is due on a closed family.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from families.models import Family, Team, User
from families.selectors import family_scope

from .models import (
    Action,
    Assessment,
    FamilyPlan,
    Goal,
    GoalProgress,
    Review,
    StarArea,
    StarDefinition,
    StarReading,
    StarScore,
)


def open_actions() -> QuerySet[Action]:
    """Actions not done whose goal is still being worked on."""
    return Action.objects.filter(done_on__isnull=True, goal__status__in=Goal.ACTIVE)


def _action_count(condition: Q) -> Coalesce:
    return Coalesce(
        Subquery(
            open_actions()
            .filter(condition, goal__plan__family=OuterRef("pk"))
            .order_by()
            .values("goal__plan__family")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


@dataclass(frozen=True)
class FamilyDue:
    """What is due on one family's plan, as of a day."""

    next_review_on: date | None
    review_overdue: bool
    open_actions: int
    overdue_actions: int


NOTHING_DUE = FamilyDue(
    next_review_on=None, review_overdue=False, open_actions=0, overdue_actions=0
)


def due_for_families(
    *, user: User, family_ids: Iterable[int], today: date | None = None
) -> dict[int, FamilyDue]:
    """For each of the families given that the user may see: its next review date, whether the
    review is overdue, and its open and overdue actions (one query, however many families)."""
    today = today or timezone.localdate()
    ids = list(family_ids)
    if not ids:
        return {}
    rows = (
        family_scope(user=user)
        .filter(pk__in=ids)
        .order_by()
        .annotate(
            next_review=F("plan__next_review_on"),
            open_count=_action_count(Q()),
            overdue_count=_action_count(Q(due_on__lt=today)),
        )
        .values_list("pk", "status", "next_review", "open_count", "overdue_count")
    )
    due = {}
    for pk, status, next_review, open_count, overdue_count in rows:
        if status == Family.Status.CLOSED:
            due[pk] = NOTHING_DUE
            continue
        due[pk] = FamilyDue(
            next_review_on=next_review,
            review_overdue=next_review is not None and next_review < today,
            open_actions=open_count,
            overdue_actions=overdue_count,
        )
    return due


@dataclass(frozen=True)
class PlanSummary:
    """The family page's at-a-glance view of the plan."""

    next_review_on: date | None
    review_overdue: bool
    open_actions: int
    overdue_actions: int
    # "not started" (no assessment yet), "draft" or "completed" (the current version's state)
    assessment_state: str
    assessment_version: int | None
    assessment_completed_on: date | None


def family_plan_summary(*, user: User, family: Family, today: date | None = None) -> PlanSummary:
    """Next review, open and overdue actions, and the assessment's state (two queries)."""
    due = due_for_families(user=user, family_ids=[family.pk], today=today)
    if family.pk not in due:
        raise Http404("No family with that reference in your caseload")
    current = (
        Assessment.objects.filter(family_id=family.pk)
        .order_by("-version")
        .values("version", "completed_on")
        .first()
    )
    if current is None:
        state, version, completed_on = "not started", None, None
    else:
        version, completed_on = current["version"], current["completed_on"]
        state = "completed" if completed_on else "draft"
    d = due[family.pk]
    return PlanSummary(
        next_review_on=d.next_review_on,
        review_overdue=d.review_overdue,
        open_actions=d.open_actions,
        overdue_actions=d.overdue_actions,
        assessment_state=state,
        assessment_version=version,
        assessment_completed_on=completed_on,
    )


# --- one family's plan ----------------------------------------------------------------------------


@dataclass
class FamilyPlanView:
    """Everything the family page's plan section shows, loaded in a fixed number of queries."""

    assessment: Assessment | None
    earlier_assessments: list[Assessment]
    plan: FamilyPlan | None
    goals: list[Goal] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    summary: PlanSummary | None = None


def family_plan_get(*, user: User, family: Family, today: date | None = None) -> FamilyPlanView:
    """The family's current assessment (and earlier versions), goals with actions, and reviews."""
    today = today or timezone.localdate()
    summary = family_plan_summary(user=user, family=family, today=today)
    assessments = list(
        Assessment.objects.filter(family_id=family.pk)
        .select_related("completed_by", "created_by")
        .prefetch_related("problems__problem")
        .order_by("-version")
    )
    plan = FamilyPlan.objects.filter(family_id=family.pk).first()
    goals: list[Goal] = []
    reviews: list[Review] = []
    if plan is not None:
        goals = list(
            plan.goals.select_related("family_problem__problem").prefetch_related(
                Prefetch(
                    "actions",
                    queryset=Action.objects.select_related(
                        "assigned_user", "assigned_person", "done_by"
                    ).order_by("done_on", "due_on", "id"),
                )
            )
        )
        for goal in goals:
            for action in goal.actions.all():
                action.is_overdue = (
                    family.is_open
                    and not action.is_done
                    and goal.is_active
                    and action.due_on < today
                )
        reviews = list(
            plan.reviews.select_related("recorded_by").prefetch_related(
                Prefetch(
                    "progress",
                    queryset=GoalProgress.objects.select_related("goal__family_problem__problem"),
                )
            )
        )
    return FamilyPlanView(
        assessment=assessments[0] if assessments else None,
        earlier_assessments=assessments[1:],
        plan=plan,
        goals=goals,
        reviews=reviews,
        summary=summary,
    )


def action_worker_list(*, user: User, family: Family) -> QuerySet[User]:
    """Workers an action can be given to: the user, the family's lead keyworker and named
    workers, and the keyworkers and managers of its team."""
    roles = [User.Role.KEYWORKER, User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER]
    who = Q(pk=user.pk) | Q(named_on__family=family)
    if family.lead_keyworker_id:
        who |= Q(pk=family.lead_keyworker_id)
    if family.team_id:
        who |= Q(team_id=family.team_id)
    return (
        User.objects.filter(who, is_active=True, role__in=roles)
        .distinct()
        .order_by("first_name", "last_name")
    )


def goal_get(*, family: Family, pk: int) -> Goal:
    """A goal of this family's plan (the family already scoped by `family_get`), or Http404."""
    try:
        return Goal.objects.select_related("plan", "family_problem__problem").get(
            pk=pk, plan__family=family
        )
    except Goal.DoesNotExist:
        raise Http404("No such goal in this family's plan") from None


def action_get(*, family: Family, pk: int) -> Action:
    """An action of this family's plan, or Http404."""
    try:
        return Action.objects.select_related("goal__family_problem__problem").get(
            pk=pk, goal__plan__family=family
        )
    except Action.DoesNotExist:
        raise Http404("No such action in this family's plan") from None


# --- what is overdue across a caseload or team ----------------------------------------------------

OVERDUE_ROLES = {User.Role.KEYWORKER, User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER}
OVERDUE_LIMIT = 200


@dataclass
class OverdueWork:
    """Overdue reviews and actions, most overdue first, each list cut at `OVERDUE_LIMIT`."""

    reviews: list[FamilyPlan]
    review_count: int
    actions: list[Action]
    action_count: int
    teams: list[Team]
    team: Team | None


def overdue_list(
    *, user: User, today: date | None = None, team_id: int | None = None
) -> OverdueWork:
    """Overdue reviews and actions on the open families the user may see: a keyworker's own,
    a team manager's team's, every team's for a programme manager (who may pick a team)."""
    today = today or timezone.localdate()
    families = family_scope(user=user).exclude(status=Family.Status.CLOSED)
    teams: list[Team] = []
    team = None
    if user.role == User.Role.PROGRAMME_MANAGER:
        teams = list(Team.objects.order_by("name"))
        team = next((t for t in teams if t.pk == team_id), None)
        if team is not None:
            families = families.filter(team=team)
    reviews_qs = (
        FamilyPlan.objects.filter(family__in=families, next_review_on__lt=today)
        .select_related("family__lead_keyworker", "family__team")
        .order_by("next_review_on", "family__reference")
    )
    actions_qs = (
        open_actions()
        .filter(goal__plan__family__in=families, due_on__lt=today)
        .select_related(
            "goal__plan__family__lead_keyworker",
            "goal__family_problem__problem",
            "assigned_user",
            "assigned_person",
        )
        .order_by("due_on", "goal__plan__family__reference", "id")
    )
    reviews = list(reviews_qs[:OVERDUE_LIMIT])
    actions = list(actions_qs[:OVERDUE_LIMIT])
    for plan in reviews:
        plan.days_overdue = (today - plan.next_review_on).days
    for action in actions:
        action.days_overdue = (today - action.due_on).days
    return OverdueWork(
        reviews=reviews,
        review_count=len(reviews) if len(reviews) < OVERDUE_LIMIT else reviews_qs.count(),
        actions=actions,
        action_count=len(actions) if len(actions) < OVERDUE_LIMIT else actions_qs.count(),
        teams=teams,
        team=team,
    )


# --- Outcomes Stars ------------------------------------------------------------------------------


def star_definition_list(*, active_only: bool = False) -> list[StarDefinition]:
    """The Stars the council uses, each with its areas in order (two queries)."""
    definitions = StarDefinition.objects.prefetch_related(
        Prefetch("areas", queryset=StarArea.objects.order_by("position", "id"))
    )
    if active_only:
        definitions = definitions.filter(active=True)
    return list(definitions)


def star_definition_get(*, pk: int, active_only: bool = True) -> StarDefinition:
    """One Star with its areas, or Http404."""
    found = [d for d in star_definition_list(active_only=active_only) if d.pk == pk]
    if not found:
        raise Http404("No such Outcomes Star")
    return found[0]


def _readings(queryset: QuerySet[StarReading]) -> QuerySet[StarReading]:
    return queryset.select_related("person", "family").prefetch_related(
        Prefetch("scores", queryset=StarScore.objects.only("reading_id", "area_id", "score"))
    )


@dataclass
class StarRow:
    area: str
    baseline: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline


@dataclass
class StarProgress:
    """One Star for one subject (the family, or a child in it): its first and latest readings."""

    definition: StarDefinition
    person: object | None
    readings: list[StarReading]
    baseline: StarReading
    latest: StarReading | None
    rows: list[StarRow]

    @property
    def subject(self) -> str:
        return self.person.full_name if self.person else "The whole family"


def star_baseline_and_latest(
    readings: list[StarReading],
) -> tuple[StarReading | None, StarReading | None]:
    """The first baseline (or, without one, the first reading) and the latest reading after it."""
    ordered = sorted(readings, key=lambda r: (r.read_on, r.pk))
    if not ordered:
        return None, None
    baseline = next((r for r in ordered if r.kind == StarReading.Kind.BASELINE), ordered[0])
    later = [r for r in ordered if r.read_on > baseline.read_on]
    return baseline, (later[-1] if later else None)


def family_star_list(*, user: User, family: Family) -> list[StarProgress]:
    """Each Star recorded for the family, per subject, with baseline and latest scores (four
    queries however many readings)."""
    if not family_scope(user=user).filter(pk=family.pk).exists():
        raise Http404("No family with that reference in your caseload")
    definitions = {d.pk: d for d in star_definition_list()}
    readings = list(_readings(StarReading.objects.filter(family=family)))
    groups: dict[tuple[int, int | None], list[StarReading]] = {}
    for reading in readings:
        groups.setdefault((reading.definition_id, reading.person_id), []).append(reading)
    progress = []
    for (definition_id, _), group in groups.items():
        definition = definitions[definition_id]
        baseline, latest = star_baseline_and_latest(group)
        first = {s.area_id: s.score for s in baseline.scores.all()}
        last = {s.area_id: s.score for s in latest.scores.all()} if latest else {}
        rows = [StarRow(a.name, first.get(a.pk), last.get(a.pk)) for a in definition.areas.all()]
        progress.append(
            StarProgress(
                definition=definition,
                person=group[0].person,
                readings=group,
                baseline=baseline,
                latest=latest,
                rows=rows,
            )
        )
    progress.sort(key=lambda p: (p.definition.name, p.person is not None, p.subject))
    return progress


def star_reading_list(
    *,
    user: User,
    definition: StarDefinition | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[StarReading]:
    """Star readings of the families the user may see, with their scores (two queries)."""
    readings = StarReading.objects.filter(family__in=family_scope(user=user))
    if definition is not None:
        readings = readings.filter(definition=definition)
    if date_from is not None:
        readings = readings.filter(read_on__gte=date_from)
    if date_to is not None:
        readings = readings.filter(read_on__lte=date_to)
    return list(
        readings.prefetch_related(
            Prefetch("scores", queryset=StarScore.objects.only("reading_id", "area_id", "score"))
        ).order_by("read_on", "id")
    )
