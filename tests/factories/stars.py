"""Outcomes Star readings for tests, written straight through the models (no history, no
timeline events): tests of what a keyworker's reading records go through
`casework.services.star_reading_record`.

`star("My Star")` is a seeded Star; `star_reading(...)` records a reading with a score per area
(one number for every area, or a list in the Star's area order).
"""

from __future__ import annotations

import datetime as dt

from casework.models import StarDefinition, StarReading, StarScore

FAMILY_STAR = "Family Star Plus"
MY_STAR = "My Star"


def star(name: str) -> StarDefinition:
    return StarDefinition.objects.prefetch_related("areas").get(name=name)


def star_reading(
    *,
    family,
    name: str,
    read_on: dt.date,
    kind: str = "baseline",
    scores: int | list[int] = 3,
    person=None,
    recorded_by,
) -> StarReading:
    definition = star(name)
    areas = list(definition.areas.all())
    values = [scores] * len(areas) if isinstance(scores, int) else list(scores)
    assert len(values) == len(areas), "a score for every area"
    reading = StarReading.objects.create(
        definition=definition,
        family=family,
        person=person,
        read_on=read_on,
        kind=kind,
        recorded_by=recorded_by,
    )
    StarScore.objects.bulk_create(
        [StarScore(reading=reading, area=a, score=v) for a, v in zip(areas, values, strict=True)]
    )
    return reading
