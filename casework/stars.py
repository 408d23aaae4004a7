"""Outcomes Stars as data: a Star's scale and areas, and the check on a reading's scores.

A Star (Family Star Plus, My Star) is configured in the admin as a `StarDefinition` with its
areas. Scores are stored against an area's identifier only: the scale descriptions are
licensed and the product never shows or stores them. These are plain functions over plain
data, so the form, the service and the partner import word their problems the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    identifier: str
    name: str


@dataclass(frozen=True)
class Star:
    name: str
    subject: str  # "family" or "person" (StarDefinition.Subject)
    scale_min: int
    scale_max: int
    areas: tuple[Area, ...]

    @property
    def scale(self) -> str:
        return f"{self.scale_min} to {self.scale_max}"


def star_from(definition, areas=None) -> Star:
    """The plain Star of a `StarDefinition`, with `areas` given or its (prefetched) areas."""
    return Star(
        name=definition.name,
        subject=definition.subject,
        scale_min=definition.scale_min,
        scale_max=definition.scale_max,
        areas=tuple(
            Area(a.identifier, a.name) for a in (definition.areas.all() if areas is None else areas)
        ),
    )


def score_value(value: object) -> int | None:
    """A score as typed (a number, or text like "7"); None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def score_problems(star: Star, scores: Mapping[str, object]) -> dict[str, str]:
    """Area identifier → what to do, for every area missing, not a number or off the scale.

    Every area is required: a Star half filled in cannot be compared with another.
    """
    problems: dict[str, str] = {}
    for area in star.areas:
        raw = scores.get(area.identifier)
        if raw is None or str(raw).strip() == "":
            problems[area.identifier] = f"Enter a score for {area.name}"
            continue
        value = score_value(raw)
        if value is None or not star.scale_min <= value <= star.scale_max:
            problems[area.identifier] = (
                f"Enter a score for {area.name} as a whole number from {star.scale}"
            )
    return problems
