"""New cases per quarter from the families attached in this service, for the projections page."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncQuarter

from families.models import User
from families.selectors import family_scope


def quarter_end(day: date) -> str:
    """The quarter a day falls in, named by the month it ends: 14 August 2012 → "2012-09"."""
    return f"{day.year}-{((day.month - 1) // 3 + 1) * 3:02d}"


def _next(quarter: str) -> str:
    year, month = (int(p) for p in quarter.split("-"))
    month += 3
    if month > 12:
        year, month = year + 1, month - 12
    return f"{year}-{month:02d}"


def quarters_ahead(quarter: str, count: int) -> list[str]:
    result = []
    for _ in range(count):
        quarter = _next(quarter)
        result.append(quarter)
    return result


def attachments_by_quarter(*, user: User, today: date) -> list[tuple[str, int]]:
    """Families the user may see attached in each quarter, from the first to today's (one query)."""
    counts = {
        quarter_end(row["quarter"]): row["n"]
        for row in family_scope(user=user)
        .filter(attached_on__isnull=False, attached_on__lte=today)
        .annotate(quarter=TruncQuarter("attached_on"))
        .values("quarter")
        .annotate(n=Count("pk"))
        .order_by("quarter")
    }
    if not counts:
        return []
    quarter, last = min(counts), quarter_end(today)
    result = []
    while quarter <= last:
        result.append((quarter, counts.get(quarter, 0)))
        quarter = _next(quarter)
    return result
