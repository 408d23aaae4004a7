"""Privacy operations: subject access exports prepared, and records anonymised by retention.

Both are append-only logs. A subject access export is prepared by a data officer or an
administrator, with the reason (the request it answers); an anonymisation is written once per
family when the retention schedule has anonymised it, naming the rule that expired.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from families.models import Family, Person


class SubjectAccessExport(models.Model):
    """One subject access export: whose, by whom, why, in which format, when."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF (to read and send)"
        JSON = "json", "JSON (machine-readable)"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    format = models.CharField(max_length=10, choices=Format.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class Anonymisation(models.Model):
    """A family anonymised under the retention schedule (its case records, and the members who
    belonged to no family still kept). Written once; the family then stays anonymised."""

    family = models.OneToOneField(Family, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=200, help_text="The retention rule that expired, in words.")
    expired_on = models.DateField()
    anonymised_on = models.DateField()
    people = models.PositiveIntegerField(default=0, help_text="Members anonymised with it")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
