"""The council's yearly identification targets, one for each programme year the demo spans,
so the programme dashboard has something to measure the families against."""

from __future__ import annotations

import random
from datetime import date

from django.db.models import Count, Min
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from families.models import Family
from reports.models import IdentificationTarget, programme_year_start


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """A target for every programme year from the first family identified to this one, near what
    the council then identified (created once; a re-run leaves targets as an administrator set
    them)."""
    today = today or timezone.localdate()
    first = Family.objects.aggregate(first=Min("identified_on"))["first"]
    if first is None:
        return
    identified: dict[int, int] = {}
    for row in (
        Family.objects.order_by()
        .annotate(y=ExtractYear("identified_on"), m=ExtractMonth("identified_on"))
        .values("y", "m")
        .annotate(n=Count("pk"))
    ):
        year = row["y"] if row["m"] >= 4 else row["y"] - 1
        identified[year] = identified.get(year, 0) + row["n"]
    for year in range(programme_year_start(first).year, programme_year_start(today).year + 1):
        # Targets a little above or below what was done, in round numbers, so the chart shows
        # both a year that met its target and one that fell short.
        done = identified.get(year, 0)
        to_identify = max(5, round(done * rng.uniform(0.85, 1.25) / 5) * 5)
        IdentificationTarget.objects.get_or_create(
            year_start=date(year, 4, 1),
            defaults={
                "label": f"{year} to {year + 1}",
                "families_to_identify": to_identify,
                "families_to_attach": max(5, round(to_identify * 0.8 / 5) * 5),
            },
        )
