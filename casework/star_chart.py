"""An Outcomes Star drawn on the server as an SVG radar chart: one spoke per area, the scale
marked in rings, and a polygon for the baseline and one for the latest reading, with a key.

It is a picture of the table printed beside it: the SVG is `role="img"` with a title and a
description, and screen reader users read the table for the scores. Colours are presentation
attributes (no inline style, for the Content-Security-Policy). Area names only: the Stars'
scale descriptions are licensed and never drawn.
"""

from __future__ import annotations

import hashlib
import math
from html import escape

from django.utils.safestring import SafeString, mark_safe

BASELINE = "#505a5f"  # GOV.UK dark grey (dashed), 3:1 or more against white like the blue
LATEST = "#1d70b8"  # GOV.UK blue
TEXT = "#0b0c0c"
RULE = "#b1b4b6"


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def star_chart(
    *,
    title: str,
    areas: list[str],
    scale_min: int,
    scale_max: int,
    baseline: list[int | None] | None,
    latest: list[int | None] | None = None,
    baseline_label: str = "Baseline",
    latest_label: str = "Latest",
) -> SafeString:
    """The star for one subject; `baseline` and `latest` give a score per area, in order."""
    width, height, radius = 800, 430, 150
    cx, cy = width / 2, 60 + radius + 20
    count = max(len(areas), 3)
    span = (scale_max - scale_min) or 1
    uid = (
        "star-"
        + hashlib.sha1(
            repr((title, areas, baseline, latest)).encode(), usedforsecurity=False
        ).hexdigest()[:8]
    )

    def radius_of(score: int | None) -> float:
        if score is None:
            return 0.0
        return radius * (0.1 + 0.9 * (score - scale_min) / span)

    described = f"{baseline_label} and {latest_label.lower()} scores" if latest else baseline_label
    parts = [
        f'<svg class="app-star-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(described)} on a scale of {scale_min} to '
        f"{scale_max} in each of {len(areas)} areas. The scores are in the table.</desc>",
    ]
    # The key.
    key = [(baseline_label, BASELINE, "6 3")] + ([(latest_label, LATEST, "")] if latest else [])
    for index, (label, colour, dash) in enumerate(key):
        x = 10 + index * 280
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="18" x2="{x + 28}" y2="18" stroke="{colour}" stroke-width="3"{dashes}/>'
        )
        parts.append(
            f'<text x="{x + 36}" y="23" font-size="18" fill="{TEXT}">{escape(label)}</text>'
        )
    # Rings at the bottom, middle and top of the scale, and a spoke per area with its name.
    for score in sorted({scale_min, (scale_min + scale_max) // 2, scale_max}):
        ring = [_point(cx, cy, radius_of(score), i, count) for i in range(count)]
        parts.append(f'<polygon points="{_polygon(ring)}" fill="none" stroke="{RULE}"/>')
    for index, name in enumerate(areas):
        x, y = _point(cx, cy, radius, index, count)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{RULE}"/>')
        lx, ly = _point(cx, cy, radius + 14, index, count)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        baseline_shift = 16 if ly > cy + radius * 0.6 else (-4 if ly < cy - radius * 0.6 else 5)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + baseline_shift:.1f}" font-size="17" '
            f'text-anchor="{anchor}" fill="{TEXT}">{escape(name)}</text>'
        )
    for scores, colour, dash, opacity in (
        (baseline, BASELINE, "6 3", "0.15"),
        (latest, LATEST, "", "0.25"),
    ):
        if not scores:
            continue
        points = [_point(cx, cy, radius_of(s), i, count) for i, s in enumerate(scores)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polygon points="{_polygon(points)}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="3"{dashes}/>'
        )
    parts.append("</svg>")
    # Every text in it is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
