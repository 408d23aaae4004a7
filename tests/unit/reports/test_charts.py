"""The bar chart prints each value as its table does, and leaves room for its labels."""

from __future__ import annotations

import re
from decimal import Decimal

from reports.charts import Series, bar_chart


def test_a_bar_shows_a_decimal_with_its_places_and_a_count_without():
    svg = bar_chart(
        title="Stars",
        labels=["Education and learning", "Family routine"],
        series=[Series("Average latest", [Decimal("4.00"), Decimal("4.59")]), Series("n", [3, 12])],
    )
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "4.00" in texts and "4.59" in texts and "12" in texts and "4" not in texts


def test_the_bars_start_after_the_longest_label():
    short = bar_chart(title="A", labels=["Health"], series=[Series("n", [1])])
    long = bar_chart(
        title="B", labels=["Worklessness and financial exclusion"], series=[Series("n", [1])]
    )
    start = re.compile(r'<rect x="(\d+)" y="\d+" width="[\d.]+" height="15"')
    assert int(start.search(long).group(1)) > int(start.search(short).group(1))
    assert 7 * len("Worklessness and financial exclusion") < int(start.search(long).group(1))


def test_a_chart_keeps_its_size_in_a_region_that_scrolls_on_a_narrow_screen():
    svg = bar_chart(title="Families by locality", labels=["Banbury"], series=[Series("n", [3])])
    assert svg.startswith(
        '<div class="app-table-scroll" role="region" aria-label="Chart: Families by locality" '
        'tabindex="0">'
    )
    width = re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)
    assert f'width="{width}"' in svg and svg.endswith("</svg></div>")
