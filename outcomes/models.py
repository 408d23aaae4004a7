"""Evidence, outcomes plans and evaluations.

Evidence is append-only: a correction is a new version of the same record (same
`record_key`), and the old version stays, marked superseded. Plan versions are immutable
once stored; an activation puts a version in force from a date. An evaluation is the
engine's result for a family on a date under a plan version, with a digest of the evidence
it used, so repeating it changes nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.history import tracked
from families.models import Family, Person


@tracked()
class Evidence(models.Model):
    """One typed record about a person or a family (a term's attendance, an offence, a judgement...).

    Lifecycle: recorded (current) → superseded by a correction (a new version, same record_key).
    Never edited in place and never deleted.
    """

    class Kind(models.TextChoices):
        SCHOOL_ATTENDANCE = "school_attendance", "School attendance"
        EXCLUSIONS = "exclusions", "Exclusion"
        OFFENCES = "offences", "Offence"
        ASB_INCIDENTS = "asb_incidents", "Anti-social behaviour incident"
        DOMESTIC_ABUSE_CALLOUTS = "domestic_abuse_callouts", "Domestic abuse call-out"
        BENEFIT_SPELLS = "benefit_spells", "Benefit spell"
        EMPLOYMENT_SPELLS = "employment_spells", "Employment spell"
        WORK_ACTIVITY = "work_activity", "Work-related activity"
        NEET_STATUS = "neet_status", "Education, employment or training status"
        CHILD_PLANS = "child_plans", "Child plan"
        TREATMENT = "treatment", "Drug or alcohol treatment"
        MEMBER_FLAGS = "member_flags", "Member flag"
        JUDGEMENT = "judgement", "Professional judgement"

    class Source(models.TextChoices):
        PARTNER_FILE = "partner_file", "Partner data file"
        KEYWORKER = "keyworker", "Recorded by a worker"
        SYSTEM = "system", "Generated"

    record_key = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    # The kind's fields (see outcomes.engine.evidence), dates as ISO strings.
    data = models.JSONField()
    # The date the record is about (event date or spell start), for ordering and windows.
    event_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Identity of the fact across files and corrections (e.g. person + academic year + term).
    natural_key = models.CharField(max_length=300, blank=True)
    content_digest = models.CharField(max_length=64)
    source = models.CharField(max_length=20, choices=Source.choices)
    source_name = models.CharField(max_length=200, blank=True, help_text="Partner or file name")
    # The partner file's name and row, kept on the record so it reads without the imports app.
    source_file = models.CharField(max_length=255, blank=True, default="", db_default="")
    import_file_id = models.BigIntegerField(null=True, blank=True)
    import_row = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["event_date", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["record_key", "version"], name="evidence_version_unique"
            ),
            models.UniqueConstraint(
                fields=["record_key"],
                condition=Q(is_current=True),
                name="evidence_one_current_version",
            ),
            models.UniqueConstraint(
                fields=["kind", "natural_key"],
                condition=Q(is_current=True) & ~Q(natural_key=""),
                name="evidence_current_natural_key_unique",
            ),
            models.CheckConstraint(
                name="evidence_about_someone",
                condition=Q(person__isnull=False) | Q(family__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "kind"],
                condition=Q(is_current=True),
                name="evidence_current_person",
            ),
            models.Index(
                fields=["family", "kind"],
                condition=Q(is_current=True),
                name="evidence_current_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} v{self.version}"


class PlanVersion(models.Model):
    """An immutable version of a council's outcomes plan (YAML text, parsed definition, digest)."""

    class Source(models.TextChoices):
        SHIPPED = "shipped", "Shipped with the product"
        UPLOADED = "uploaded", "Uploaded by an administrator"

    slug = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    council = models.CharField(max_length=200, blank=True)
    example = models.BooleanField(default=False)
    yaml_text = models.TextField()
    definition = models.JSONField()
    digest = models.CharField(max_length=64)
    source = models.CharField(max_length=20, choices=Source.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.slug} {self.version})"


class PlanActivation(models.Model):
    """Puts a plan version in force from a date. The plan in force on a date is the activation
    with the latest `effective_from` on or before it (the most recent activation wins a tie)."""

    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="activations"
    )
    effective_from = models.DateField()
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from", "-activated_at"]


class TermDate(models.Model):
    """A school term's dates for an academic year; overrides the engine's English defaults."""

    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.CharField(max_length=7, help_text="For example 2015/16")
    term = models.CharField(max_length=10, choices=Term.choices)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["academic_year", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "term"], name="term_date_unique"),
            models.CheckConstraint(
                name="term_dates_in_order", condition=Q(end_date__gt=models.F("start_date"))
            ),
        ]


class EligibilityRun(models.Model):
    """One run of the eligibility check (nightly or on demand): what it did and how long it took.

    Lifecycle: running → finished | failed.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    as_of = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(
        max_length=20, default="schedule", help_text="schedule, command or user"
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.PROTECT)
    started_at = models.DateTimeField(auto_now_add=True)
    # Set once the run's chunks are handed to the workers: a run still without it well after
    # it started died before sending them, and the next run takes over (eligibility_run_start).
    chunks_sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    families_total = models.PositiveIntegerField(default=0)
    families_evaluated = models.PositiveIntegerField(default=0)
    changes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    duration_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]


class Evaluation(models.Model):
    """The engine's result for a family on a date under a plan version, with the evidence digest.

    The same family, plan version, date and evidence digest is stored once: repeating an
    evaluation changes nothing. `is_current` marks the family's latest evaluation.
    """

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="evaluations")
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="evaluations"
    )
    as_of = models.DateField()
    result = models.JSONField()
    evidence_digest = models.CharField(max_length=64)
    eligible = models.BooleanField()
    claimable_results = models.BooleanField()
    claimable_employment = models.BooleanField()
    problems_identified = models.PositiveSmallIntegerField(default=0)
    problems_met = models.PositiveSmallIntegerField(default=0)
    blocking_count = models.PositiveSmallIntegerField(default=0)
    run = models.ForeignKey(
        EligibilityRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    evaluated_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-as_of", "-evaluated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "plan_version", "as_of", "evidence_digest"],
                name="evaluation_unique",
            ),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="evaluation_one_current"
            ),
        ]
        indexes = [
            models.Index(
                fields=["claimable_results", "blocking_count"],
                condition=Q(is_current=True),
                name="evaluation_current_claimable",
            ),
        ]
