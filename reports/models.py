"""What the reports keep of their own: the council's yearly identification targets.

Reports read every other app and write nothing there; the one thing they store is the figure a
programme year is measured against (docs/reports.md, "Programme dashboard").
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models


def programme_year_start(on: date) -> date:
    """The 1 April that starts the programme year (April to March) holding the date."""
    return date(on.year if on.month >= 4 else on.year - 1, 4, 1)


class IdentificationTarget(models.Model):
    """How many families the council agreed to identify (and attach) in a programme year.

    Edited in the Django admin by an administrator; one row a programme year.
    """

    year_start = models.DateField(
        unique=True, help_text="The first day of the programme year: 1 April."
    )
    label = models.CharField(max_length=40, help_text="For example, 2015 to 2016.")
    families_to_identify = models.PositiveIntegerField()
    families_to_attach = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["year_start"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.year_start and (self.year_start.month, self.year_start.day) != (4, 1):
            raise ValidationError({"year_start": "A programme year starts on 1 April."})
