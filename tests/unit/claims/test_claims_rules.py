"""Claims rules that need no database: the audit sample (reproducible from its seed, its size)
and the claim types' names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claims import services
from claims.models import ClaimType


def test_sample_is_reproducible_from_its_seed():
    ids = list(range(1, 201))
    first = services.draw_sample(ids, percent=Decimal("10"), minimum=5, seed=42)
    assert first == services.draw_sample(
        list(reversed(ids)), percent=Decimal("10"), minimum=5, seed=42
    )
    assert len(first) == 20
    assert first != services.draw_sample(ids, percent=Decimal("10"), minimum=5, seed=43)


@pytest.mark.parametrize(
    "total, percent, minimum, expected",
    [
        (200, "10", 5, 20),
        (20, "10", 5, 5),
        (3, "10", 5, 3),
        (1000, "2", 10, 20),
        (101, "2", 0, 3),
        (0, "10", 5, 0),
    ],
)
def test_sample_size(total, percent, minimum, expected):
    assert services.sample_size(total, Decimal(percent), minimum) == expected


def test_claim_type_labels():
    assert ClaimType.RESULTS.label == "Significant and sustained progress"
