"""The reports' own settings. Reports hold no case data: they read the other apps' records."""

from __future__ import annotations

from django.db import models


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
