"""Reads of partner data imports: files, their rows and the report of what happened."""

from __future__ import annotations

from .models import ImportFile, ImportRow


def import_summary(import_file: ImportFile) -> list[tuple[str, int]]:
    """The counts a person reads after an import, in the order the interface names them."""
    return [
        ("Rows read", import_file.rows_read),
        ("Applied", import_file.rows_applied),
        ("Already held (unchanged)", import_file.rows_unchanged),
        ("Matched to a person", import_file.rows_matched),
        ("Queued for review", import_file.rows_queued),
        ("Unmatched (kept and retried when people are added)", import_file.rows_unmatched),
        ("Rejected", import_file.rows_rejected),
    ]


def import_error_lines(import_file: ImportFile) -> list[str]:
    """Every problem, one line each: "Row 7, column upn: Enter a UPN with the right check letter..."."""
    lines = [str(message) for message in import_file.file_errors]
    for row in import_file.rows.filter(status=ImportRow.Status.REJECTED).order_by("row_number"):
        for error in row.errors:
            lines.append(f"Row {row.row_number}, column {error['column']}: {error['message']}")
    return lines
