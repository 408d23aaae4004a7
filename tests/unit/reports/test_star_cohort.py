"""The Outcome Stars cohort figures from plain readings: Oxfordshire's phase 1 results
reproduced, the change and percentage worked out before rounding, and who counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from reports.stars import Reading, cohort_change, pairs, shown

START = dt.date(2013, 4, 1)
LATER = dt.date(2014, 1, 6)


def areas(count: int) -> list[tuple[str, str]]:
    return [(f"area_{n}", f"Area {n}") for n in range(count)]


def cohort(baseline_scores: list[int], latest_scores: list[int], per_subject: int):
    """Readings for subjects of `per_subject` areas each, from flat lists of scores."""
    names = [identifier for identifier, _ in areas(per_subject)]
    readings = []
    for index in range(len(baseline_scores) // per_subject):
        chunk = slice(index * per_subject, (index + 1) * per_subject)
        for on, kind, scores in (
            (START, "baseline", baseline_scores[chunk]),
            (LATER, "review", latest_scores[chunk]),
        ):
            readings.append(Reading(index, on, kind, dict(zip(names, scores, strict=True))))
    return cohort_change(areas(per_subject), readings)


def figures(change) -> tuple:
    return (
        change.count,
        shown(change.baseline),
        shown(change.latest),
        shown(change.change),
        shown(change.percent),
    )


def test_oxfordshire_my_star_2_60_to_3_40_is_a_30_77_percent_change():
    # Five children, eight areas each: 104 points of 40 at baseline, 136 at the latest.
    baseline = [3] * 24 + [2] * 16  # 72 + 32 = 104
    latest = [4] * 16 + [3] * 24  # 64 + 72 = 136
    _, overall = cohort(baseline, latest, per_subject=8)
    assert figures(overall) == (
        5,
        Decimal("2.60"),
        Decimal("3.40"),
        Decimal("0.80"),
        Decimal("30.77"),
    )


def test_oxfordshire_family_star_plus_change_comes_from_the_unrounded_averages():
    # 100 families, ten areas: averages 4.394 and 6.407. Shown, as Oxfordshire printed them:
    # 4.39 -> 6.41, a change of 2.01 and 45.81%. From the rounded averages the change would be
    # 2.02 and the percentage 46.01%: the rounding rule is what makes the report's figures.
    baseline = [5] * 394 + [4] * 606  # 1970 + 2424 = 4394
    latest = [7] * 407 + [6] * 593  # 2849 + 3558 = 6407
    _, overall = cohort(baseline, latest, per_subject=10)
    assert figures(overall) == (
        100,
        Decimal("4.39"),
        Decimal("6.41"),
        Decimal("2.01"),
        Decimal("45.81"),
    )
    rounded_change = shown(overall.latest) - shown(overall.baseline)
    assert rounded_change == Decimal("2.02") != shown(overall.change)
    assert shown(Fraction(rounded_change) / Fraction(shown(overall.baseline)) * 100) == Decimal(
        "46.01"
    )


def test_each_area_has_its_own_averages():
    a, b = "area_0", "area_1"
    readings = [
        Reading("tom", START, "baseline", {a: 1, b: 5}),
        Reading("tom", LATER, "review", {a: 2, b: 4}),
        Reading("amy", START, "baseline", {a: 2, b: 3}),
        Reading("amy", LATER, "review", {a: 4, b: 3}),
    ]
    rows, overall = cohort_change(areas(2), readings)
    assert figures(rows[0]) == (
        2,
        Decimal("1.50"),
        Decimal("3.00"),
        Decimal("1.50"),
        Decimal("100.00"),
    )
    assert figures(rows[1]) == (
        2,
        Decimal("4.00"),
        Decimal("3.50"),
        Decimal("-0.50"),
        Decimal("-12.50"),
    )
    assert figures(overall) == (
        2,
        Decimal("2.75"),
        Decimal("3.25"),
        Decimal("0.50"),
        Decimal("18.18"),
    )


def test_who_counts_a_baseline_and_the_latest_reading_after_it():
    a = "area_0"
    readings = [
        # Only a baseline: not counted.
        Reading("ben", START, "baseline", {a: 1}),
        # A review before the baseline is not its baseline; the latest of two reviews counts.
        Reading("cat", START - dt.timedelta(days=30), "review", {a: 5}),
        Reading("cat", START, "baseline", {a: 2}),
        Reading("cat", LATER, "review", {a: 3}),
        Reading("cat", LATER + dt.timedelta(days=90), "review", {a: 4}),
        # No baseline recorded: the first reading stands in for it.
        Reading("dan", START, "review", {a: 3}),
        Reading("dan", LATER, "review", {a: 3}),
    ]
    found = {first.subject: (first.scores[a], last.scores[a]) for first, last in pairs(readings)}
    assert found == {"cat": (2, 4), "dan": (3, 3)}
    rows, overall = cohort_change(areas(1), readings)
    assert rows[0].count == overall.count == 2


def test_nobody_with_two_readings_gives_no_figures():
    rows, overall = cohort_change(areas(1), [Reading("ben", START, "baseline", {"area_0": 1})])
    assert figures(overall) == (0, None, None, None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(2005, 1000), Decimal("2.01")),  # half rounds up, not to even
        (Fraction(2004999, 1000000), Decimal("2.00")),
        (Fraction(-2005, 1000), Decimal("-2.01")),
        (Fraction(4, 13) * 100, Decimal("30.77")),
    ],
)
def test_figures_are_rounded_half_up_to_two_places(value, expected):
    assert shown(value) == expected
