"""A report's table: what a page shows beside its chart and what downloads as CSV or Excel.

Every report builds `Table`s; the page renders them with `reports/_table.html` and any table
downloads from the same page with `?download=csv|xlsx&table=<slug>` (`download_response`).
Cells that start like a formula are written as text (`claims.exports.safe_cell`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from claims.exports import safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A titled table. `slug` names its download; `numeric` the columns aligned right."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None = None
    note: str = ""
    numeric: set[int] = field(default_factory=set)

    def all_rows(self) -> list[list[Any]]:
        return [*self.rows, *([self.totals] if self.totals else [])]


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else value


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads the pound sign."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.all_rows():
        writer.writerow([safe_cell(_text(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """One sheet: the header in bold, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append(table.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.all_rows():
        sheet.append([safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_response(request, tables: list[Table]) -> HttpResponse | None:
    """The file asked for by `?download=` and `?table=`, or None when none was asked for."""
    fmt = request.GET.get("download")
    if fmt is None:
        return None
    slug = request.GET.get("table", "")
    table = next((t for t in tables if t.slug == slug), None)
    if fmt not in FORMATS or table is None:
        raise Http404("No such table to download.")
    body = table_csv(table) if fmt == "csv" else table_xlsx(table)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table.slug}.{fmt}"'
    return response
