"""Partner data files and every row in them, kept as received.

An ImportFile's lifecycle: applied | partly applied (with --partial, some rows rejected) |
rejected (nothing applied). Rows are never changed after the import, except that an
unmatched row that later matches a person moves to applied or unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from families.models import Person


class ImportFile(models.Model):
    """One partner data file applied (or refused) by the import, with its counts."""

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", "Households"
        SCHOOL_ATTENDANCE = "school_attendance", "School attendance"
        EXCLUSIONS = "exclusions", "Exclusions"
        OFFENCES = "offences", "Offences"
        ASB_INCIDENTS = "asb_incidents", "Anti-social behaviour incidents"
        DOMESTIC_ABUSE_CALLOUTS = "domestic_abuse_callouts", "Domestic abuse call-outs"
        BENEFIT_SPELLS = "benefit_spells", "Benefit spells"
        EMPLOYMENT_SPELLS = "employment_spells", "Employment spells"
        WORK_ACTIVITY = "work_activity", "Work-related activity"
        NEET_STATUS = "neet_status", "Education, employment or training status"
        CHILD_PLANS = "child_plans", "Child plans"
        TREATMENT = "treatment", "Drug or alcohol treatment"
        MEMBER_FLAGS = "member_flags", "Member flags"
        OUTCOME_STARS = "outcome_stars", "Outcomes Star readings"

    class Mode(models.TextChoices):
        WHOLE = "whole", "Whole file or nothing"
        PARTIAL = "partial", "Valid rows only"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        PARTLY_APPLIED = "partly_applied", "Partly applied"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    source_name = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.WHOLE)
    status = models.CharField(max_length=20, choices=Status.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_applied = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    rows_queued = models.PositiveIntegerField(
        default=0, help_text="Queued for a person to review a match"
    )
    rows_unmatched = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # Problems with the file as a whole (a missing column, an unreadable file).
    file_errors = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()}, {self.get_status_display().lower()})"


class ImportRow(models.Model):
    """One row of a partner file as received, with what became of it."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        UNCHANGED = "unchanged", "Already held"
        UNMATCHED = "unmatched", "No matching person yet"
        REJECTED = "rejected", "Rejected"
        NOT_APPLIED = "not_applied", "Valid, not applied (the file was rejected)"
        # The retention schedule removed the details of a row that never matched anyone.
        EXPIRED = "expired", "Never matched: details removed under the retention schedule"

    file = models.ForeignKey(ImportFile, on_delete=models.CASCADE, related_name="rows")
    # As in the file: the header is row 1, the first data row is row 2.
    row_number = models.PositiveIntegerField()
    raw = models.JSONField(help_text="The row as received, column name to text")
    status = models.CharField(max_length=20, choices=Status.choices)
    errors = models.JSONField(default=list, blank=True, help_text="[{column, message}]")
    matched_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_by = models.CharField(max_length=30, blank=True)
    evidence_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["file", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "row_number"], name="import_row_unique")
        ]
        indexes = [
            models.Index(
                fields=["status"], condition=Q(status="unmatched"), name="import_row_unmatched"
            )
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number} of {self.file.filename}"
