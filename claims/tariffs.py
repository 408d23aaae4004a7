"""The national payment-by-results tariffs, as data.

The data migration `0002_tariffs_and_snapshot_immutability` seeds the same rows (migrations
keep their own copy); `ensure_national_tariffs` puts back any that are missing, for the demo
and for tests that run after a database flush. See docs/claims.md for the reading of the
phase 1 framework.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PHASE_1_YEARS = [
    # (first day, first day after, attachment fee): the split by year of attachment.
    (date(2012, 4, 1), date(2013, 4, 1), Decimal("3200")),
    (date(2013, 4, 1), date(2014, 4, 1), Decimal("2400")),
    (date(2014, 4, 1), date(2015, 4, 1), Decimal("1600")),
]
# What a result is worth to the council in phase 1, including the attachment fee already paid.
PHASE_1_RESULT_VALUE = Decimal("3900")  # crime/ASB + education
PHASE_1_EMPLOYMENT_VALUE = Decimal("4000")  # continuous employment
PHASE_1_PROGRESS_TO_WORK = Decimal("100")
PHASE_2_START = date(2015, 4, 1)


def national_tariffs() -> list[dict]:
    rows = []
    for start, end, fee in PHASE_1_YEARS:
        year = f"{start.year}/{str(end.year)[2:]}"
        common = {"phase": "phase_1", "effective_from": start, "effective_to": end}
        rows += [
            {
                **common,
                "claim_type": "attachment",
                "amount": fee,
                "description": f"Phase 1 attachment fee, families attached in {year}",
            },
            {
                **common,
                "claim_type": "results",
                "amount": PHASE_1_RESULT_VALUE - fee,
                "description": f"Phase 1 crime/ASB and education result (£3,900 less the {year} attachment fee)",
            },
            {
                **common,
                "claim_type": "continuous_employment",
                "amount": PHASE_1_EMPLOYMENT_VALUE - fee,
                "description": f"Phase 1 continuous employment (£4,000 less the {year} attachment fee)",
            },
            {
                **common,
                "claim_type": "progress_to_work",
                "amount": PHASE_1_PROGRESS_TO_WORK,
                "description": "Phase 1 progress to work",
            },
        ]
    common = {"phase": "phase_2", "effective_from": PHASE_2_START, "effective_to": None}
    rows += [
        {
            **common,
            "claim_type": "attachment",
            "amount": Decimal("1000"),
            "description": "Phase 2 attachment fee",
        },
        {
            **common,
            "claim_type": "results",
            "amount": Decimal("800"),
            "description": "Phase 2 significant and sustained progress",
        },
        {
            **common,
            "claim_type": "continuous_employment",
            "amount": Decimal("800"),
            "description": "Phase 2 continuous employment",
        },
    ]
    return rows


def ensure_national_tariffs() -> int:
    """Create any national tariff row that is missing (existing rows are left as configured)."""
    from .models import Tariff

    created = 0
    for row in national_tariffs():
        _, made = Tariff.objects.get_or_create(
            phase=row["phase"],
            claim_type=row["claim_type"],
            effective_from=row["effective_from"],
            defaults={k: row[k] for k in ("effective_to", "amount", "description")},
        )
        created += made
    return created
