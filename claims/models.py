"""Payment-by-results claims: tariffs, claim dates, claim batches, claims, evidence snapshots
and the batch event log.

A claim batch's lifecycle is declared in `claims.workflow`: draft → awaiting audit → signed
off → approved → submitted to government → paid (or paid in part), with returns to draft.
A claim's lifecycle: pending (in a batch) → verified (by an auditor, or accepted with a
sampled sign-off) | rejected (by audit; back to the pool) | withdrawn (removed from a draft)
→ paid | rejected by government.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.history import tracked
from families.models import Family
from outcomes.models import Evaluation

from .workflow import Status


class Phase(models.TextChoices):
    PHASE_1 = "phase_1", "Phase 1 (2012 to 2015)"
    PHASE_2 = "phase_2", "Phase 2 (2015 to 2020)"


class ClaimType(models.TextChoices):
    ATTACHMENT = "attachment", "Attachment fee"
    RESULTS = "results", "Significant and sustained progress"
    CONTINUOUS_EMPLOYMENT = "continuous_employment", "Continuous employment"
    # Phase 1 only: priced in the tariff; the product does not draft it (see docs/claims.md).
    PROGRESS_TO_WORK = "progress_to_work", "Progress to work"


# A family has at most one of these per programme phase (its "results" claim).
OUTCOME_CLAIM_TYPES = (ClaimType.RESULTS, ClaimType.CONTINUOUS_EMPLOYMENT)


@tracked()
class Tariff(models.Model):
    """What the government pays for one claim of a type, by programme phase and effective dates.

    The tariff that applies to a claim is the one in force on the family's attachment date:
    in phase 1 the split between attachment fee and results payment was fixed by the year the
    family was attached (see docs/claims.md).
    """

    phase = models.CharField(max_length=10, choices=Phase.choices)
    claim_type = models.CharField(max_length=30, choices=ClaimType.choices)
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="The first day it no longer applies"
    )
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    description = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "effective_from", "claim_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "claim_type", "effective_from"], name="tariff_unique"
            ),
            models.CheckConstraint(
                name="tariff_dates_in_order",
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
            ),
            models.CheckConstraint(name="tariff_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.get_claim_type_display()} from {self.effective_from}: £{self.amount}"


@tracked()
class ClaimDate(models.Model):
    """A date on which the council drafts a claim batch (the scheduled job drafts on it)."""

    date = models.DateField(unique=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the scheduled job drafted the date's batch, so it drafts once only.
    drafted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Claim date {self.date:%d %B %Y}"


@tracked()
class ClaimBatch(models.Model):
    """Claims put to government together. Lifecycle and who may move it: `claims.workflow`."""

    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(
        max_length=20, choices=Status.CHOICES, default=Status.DRAFT, db_index=True
    )
    as_of = models.DateField(help_text="The claim date the evaluations are for")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_for_audit_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    amount_received = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Audit sample: drawn once per audit round, reproducible from the seed.
    sample_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    sample_minimum = models.PositiveIntegerField(null=True, blank=True)
    sample_seed = models.BigIntegerField(null=True, blank=True)
    sample_drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sample_drawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "claim batches"
        constraints = [
            models.CheckConstraint(
                name="claim_batch_status_valid",
                condition=Q(status__in=[code for code, _ in Status.CHOICES]),
            ),
            models.CheckConstraint(
                name="claim_batch_paid_has_amount",
                condition=~Q(status__in=[Status.PAID, Status.PARTLY_REJECTED])
                | (Q(amount_received__isnull=False) & Q(paid_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"Claim batch {self.reference}"

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, self.status)

    @property
    def sample_drawn(self) -> bool:
        return self.sample_seed is not None


@tracked()
class Claim(models.Model):
    """One family's claim of one type in a batch. Lifecycle in the module docstring."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for audit"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected by audit"
        WITHDRAWN = "withdrawn", "Removed from the batch"
        PAID = "paid", "Paid"
        GOVERNMENT_REJECTED = "government_rejected", "Rejected by government"

    # Claims in these states no longer count against a family: it can be claimed again.
    RELEASED = (Status.REJECTED, Status.WITHDRAWN, Status.GOVERNMENT_REJECTED)

    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="claims")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="claims")
    claim_type = models.CharField(max_length=30, choices=ClaimType.choices)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # The evaluation the claim rests on (re-pointed to the family's current one at submission).
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The latest evidence snapshot (taken each time the batch is submitted for audit).
    snapshot = models.ForeignKey(
        "EvidenceSnapshot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_sample = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Accepted when the batch was signed off on a sample without being in the sample.
    accepted_on_sample = models.BooleanField(default=False)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family__reference", "claim_type"]
        constraints = [
            # Programme rules (README "Claims"): one attachment fee per family per programme
            # phase, and one results payment (results or continuous employment) per family.
            models.UniqueConstraint(
                fields=["family", "phase"],
                condition=Q(claim_type="attachment")
                & ~Q(status__in=["rejected", "withdrawn", "government_rejected"]),
                name="claim_one_attachment_per_family_phase",
            ),
            models.UniqueConstraint(
                fields=["family", "phase"],
                condition=Q(claim_type__in=["results", "continuous_employment"])
                & ~Q(status__in=["rejected", "withdrawn", "government_rejected"]),
                name="claim_one_outcome_per_family_phase",
            ),
            models.CheckConstraint(name="claim_amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(
                name="claim_rejection_has_reason",
                condition=~Q(status__in=["rejected", "government_rejected"])
                | ~Q(rejection_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.get_claim_type_display()} claim for {self.family.reference}"

    @property
    def counts(self) -> bool:
        return self.status not in self.RELEASED


@tracked()
class EvidenceSnapshot(models.Model):
    """A claim's evaluation and the evidence records it rested on, frozen when its batch was
    submitted for audit, with a SHA-256 digest over their canonical JSON.

    Immutable: no service updates it, and a database trigger refuses UPDATE and DELETE.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="snapshots")
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"claim": {...}, "evaluation": {...}, "evidence": [...]}: what the digest covers.
    payload = models.JSONField()
    digest = models.CharField(max_length=64)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"Evidence snapshot {self.pk} ({self.digest[:12]})"


class ClaimBatchEvent(models.Model):
    """What someone did to a claim batch (or one of its claims), when, and the move it made.

    Append-only; the sign-off trail beside the row history.
    """

    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="events")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["batch", "at"])]

    @property
    def from_label(self) -> str:
        return Status.LABELS.get(self.from_status, self.from_status)

    @property
    def to_label(self) -> str:
        return Status.LABELS.get(self.to_status, self.to_status)
