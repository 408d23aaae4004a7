"""The family's early help assessment, its family plan (goals, actions) and the plan's reviews.

An early help assessment is written as a draft, changed as often as needed, then completed on a
date by a worker; a completed assessment is never changed: the next one starts as a new version
(copied from the last), so earlier versions stay as they were signed off. The latest version is
the family's current assessment.

A family has one plan. Its goals each address one of the family's identified problems; a goal
moves between not started, in progress, achieved and no longer needed (any move allowed: a goal
achieved can slip back). Actions sit under goals: what, who (a worker, a family member or
someone named in words), by when, and when and by whom they were done. A review records the day
it was held, who attended, progress on each goal (setting the goal's status) and the date of the
next review, which becomes the plan's next review date.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.history import tracked
from families.models import Family, FamilyProblem, Person, User


@tracked()
class Assessment(models.Model):
    """One version of a family's early help assessment. Lifecycle: draft → completed (fixed)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="assessments")
    version = models.PositiveSmallIntegerField()
    problems = models.ManyToManyField(FamilyProblem, blank=True, related_name="+")
    strengths = models.TextField(blank=True)
    family_view = models.TextField(blank=True, help_text="The family's own view, in their words.")
    worries = models.TextField(blank=True)
    contributors = models.TextField(blank=True, help_text="Who contributed to the assessment.")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[problems])

    class Meta:
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="assessment_version_once"),
            models.CheckConstraint(
                name="assessment_completed_by_whom",
                condition=Q(completed_on__isnull=True, completed_by__isnull=True)
                | Q(completed_on__isnull=False, completed_by__isnull=False),
            ),
        ]

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


@tracked()
class FamilyPlan(models.Model):
    """A family's plan: its goals and actions, and when it is next reviewed."""

    family = models.OneToOneField(Family, on_delete=models.CASCADE, related_name="plan")
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["next_review_on"])]


@tracked()
class Goal(models.Model):
    """What the family wants to change about one identified problem, in plain words."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"

    # Goals still being worked on: their actions count as open.
    ACTIVE = (Status.NOT_STARTED, Status.IN_PROGRESS)

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="goals")
    family_problem = models.ForeignKey(FamilyProblem, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


@tracked()
class Action(models.Model):
    """A step toward a goal: what, who, by when; open until done (done on a date, by someone)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    # Who does it: a worker, a member of the family, or someone named in words ("school").
    assigned_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_name = models.CharField(max_length=120, blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="action_done_by_whom",
                condition=Q(done_on__isnull=True, done_by__isnull=True)
                | Q(done_on__isnull=False, done_by__isnull=False),
            ),
            models.CheckConstraint(
                name="action_assigned_to_one",
                condition=(
                    Q(assigned_user__isnull=False, assigned_person__isnull=True, assigned_name="")
                    | Q(assigned_user__isnull=True, assigned_person__isnull=False, assigned_name="")
                    | (
                        Q(assigned_user__isnull=True, assigned_person__isnull=True)
                        & ~Q(assigned_name="")
                    )
                ),
            ),
        ]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def assignee(self) -> str:
        if self.assigned_user_id:
            return self.assigned_user.display_name
        if self.assigned_person_id:
            return self.assigned_person.full_name
        return self.assigned_name


@tracked()
class Review(models.Model):
    """A review of the plan: when it was held, who came, and when the next one is."""

    plan = models.ForeignKey(FamilyPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    attended = models.TextField()
    next_review_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="review_next_after_held", condition=Q(next_review_on__gt=models.F("held_on"))
            ),
            models.UniqueConstraint(fields=["plan", "held_on"], name="review_one_a_day"),
        ]


@tracked()
class GoalProgress(models.Model):
    """What a review said about one goal, and the status it gave the goal."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Goal.Status.choices)

    class Meta:
        ordering = ["goal__created_at", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once")
        ]


# --- Outcomes Stars ------------------------------------------------------------------------------


class StarDefinition(models.Model):
    """An Outcomes Star the council uses (Family Star Plus, My Star): its scale and its areas.

    Configured by an administrator. Only the short area names are stored: the Stars' scale
    descriptions are licensed, so the product records a score against an area's identifier and
    never reproduces what each point on the scale means.
    """

    class Subject(models.TextChoices):
        FAMILY = "family", "The whole family"
        PERSON = "person", "A child or young person"

    name = models.CharField(max_length=100, unique=True)
    subject = models.CharField(
        max_length=10, choices=Subject.choices, help_text="Who a reading is about."
    )
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField()
    active = models.BooleanField(
        default=True, help_text="Keyworkers can record new readings of an active Star."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="star_scale_in_order", condition=Q(scale_max__gt=models.F("scale_min"))
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and self.scale_min is not None and self.scale_max is not None:
            outside = (
                StarScore.objects.filter(reading__definition=self)
                .exclude(score__gte=self.scale_min, score__lte=self.scale_max)
                .exists()
            )
            if outside:
                raise ValidationError(
                    "Readings already recorded have scores outside this scale: keep the scale "
                    "wide enough for them"
                )


class StarArea(models.Model):
    """One area of a Star: an identifier (as partner files name it) and its short name."""

    definition = models.ForeignKey(StarDefinition, on_delete=models.CASCADE, related_name="areas")
    identifier = models.SlugField(
        max_length=40,
        help_text="Lower case letters, digits and underscores, as the column in partner files.",
    )
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["definition", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "identifier"], name="star_area_identifier_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class StarReading(models.Model):
    """A Star completed on a day: a baseline (at the start of the work) or a review.

    About the whole family (Family Star Plus) or one child or young person in it (My Star). One
    reading of a Star a day for the same family or person; a correction replaces its scores.
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        REVIEW = "review", "Review"

    definition = models.ForeignKey(StarDefinition, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="star_readings")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The partner file it came from (referrals.ImportFile), when it came from one.
    import_file_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["read_on", "id"]
        indexes = [models.Index(fields=["definition", "read_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "family", "person", "read_on"],
                name="star_reading_once_a_day",
                nulls_distinct=False,
            )
        ]


@tracked()
class StarScore(models.Model):
    """A reading's score for one area, on the Star's scale."""

    reading = models.ForeignKey(StarReading, on_delete=models.CASCADE, related_name="scores")
    area = models.ForeignKey(StarArea, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__position", "area_id"]
        constraints = [models.UniqueConstraint(fields=["reading", "area"], name="star_score_once")]
