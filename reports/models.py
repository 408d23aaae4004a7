"""What the reports keep of their own: the council's yearly identification targets and the
unit costs of public services.

Reports read every other app and write nothing there; they hold no case data, only the figures
a programme year is measured against (docs/reports.md, "Programme dashboard") and what services
cost (docs/reports.md, "Cost savings").
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


class UnitCost(models.Model):
    """What one unit of a public service costs, for the cost savings report (docs/reports.md).

    The council keeps the table in the admin site; each cost says where its figure comes from.
    Lifecycle: added → edited as better figures come → deleted when no longer used.
    """

    name = models.CharField(max_length=120, unique=True)
    unit = models.CharField(max_length=60, help_text="For example “per hour” or “per arrest”")
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.TextField(help_text="Where the figure comes from, and how it was worked out")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="unit_cost_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit}): £{self.cost:,.2f}"
