"""The claim return's cells: anything a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claims import exports


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+44 1865", "'+44 1865"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Smith", "Smith"),
        ("", ""),
        (Decimal("-5"), Decimal("-5")),
        (3, 3),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert exports.safe_cell(value) == expected
