"""Charts drawn on the server as SVG, so they show without JavaScript and print.

A chart is a picture of the table printed beside it: the SVG has a title and a short
description for screen readers, who read the table for the figures. Colours are presentation
attributes (no inline style), from the GOV.UK palette, and bars carry their value as text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#6f72af", "#b58840"]
TEXT = "#0b0c0c"
RULE = "#b1b4b6"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | Decimal]


def _number(value) -> str:
    """As the table beside it shows it: a Decimal keeps its places (4.00), a whole count none."""
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        return f"{value:,.{-value.as_tuple().exponent}f}"
    if isinstance(value, float) and value != int(value):
        return f"{value:,.2f}"
    return f"{int(value):,}"


def bar_chart(
    *, title: str, labels: list[str], series: list[Series], description: str = ""
) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series, with a key."""
    bar_height, gap, width = 18, 10, 720
    # Room for the longest label at 14px (about 7.5px a character), within a third of the width.
    label_width = min(
        max(120, int(7.5 * max((len(label) for label in labels), default=0)) + 16), 300
    )
    plot_width = width - label_width - 70
    top = 24 * ((len(series) + 2) // 3) if len(series) > 1 else 0
    group_height = bar_height * len(series) + gap
    height = top + group_height * max(len(labels), 1) + 10
    biggest = max((float(v) for s in series for v in s.values), default=0) or 1
    uid = (
        "chart-"
        + hashlib.sha1(repr((title, labels)).encode(), usedforsecurity=False).hexdigest()[:8]
    )
    # Drawn at its own size, so its words stay readable on a phone; a narrow screen scrolls it
    # sideways in a region of its own (as the report tables do), not the page.
    parts = [
        f'<div class="app-table-scroll" role="region" aria-label="Chart: {escape(title)}" '
        'tabindex="0">',
        f'<svg class="app-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description or "The figures are in the table that follows.")}</desc>',
    ]
    if len(series) > 1:
        for index, s in enumerate(series):
            x, y = 4 + (index % 3) * 210, 4 + (index // 3) * 24
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 20}" y="{y + 12}" font-size="14" fill="{TEXT}">{escape(s.name)}</text>'
            )
    for row, label in enumerate(labels):
        y0 = top + row * group_height
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + group_height / 2}" font-size="14" '
            f'text-anchor="end" dominant-baseline="middle" fill="{TEXT}">{escape(label)}</text>'
        )
        for index, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else 0
            length = plot_width * float(value) / biggest
            y = y0 + index * bar_height
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height - 3}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height / 2}" font-size="13" '
                f'dominant-baseline="middle" fill="{TEXT}">{_number(value)}</text>'
            )
    parts.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - 10}" stroke="{RULE}"/>'
    )
    parts.append("</svg></div>")
    # bandit B308/B703 (mark_safe): every text in it is escaped above; the numbers and
    # colours are formatted here, so nothing from a user reaches the markup unescaped.
    return mark_safe("".join(parts))  # noqa: S308  # nosec
