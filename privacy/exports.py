"""A subject access export as JSON and as a readable PDF (DejaVu Sans, as the evidence pack)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from claims.exports import SensitivePdf

from .selectors import SECTIONS


def subject_access_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")


class SubjectAccessPdf(SensitivePdf):
    marking = "Official – sensitive – review before release"


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_words(str(k))}: {_value(v)}" for k, v in value.items())
    return str(value)


def subject_access_pdf(record: dict[str, Any], *, prepared_by: str, reason: str) -> bytes:
    person = record["person"]
    name = f"{person['first_name']} {person['last_name']}".strip()
    pdf = SubjectAccessPdf(f"Subject access export for {name} ({person['reference']})")
    pdf.add_page()
    pdf.line_text(f"Subject access export: {name}", bold=True, size=18)
    pdf.ln(2)
    pdf.line_text(f"Prepared by {prepared_by} on {record['prepared_at']}")
    pdf.line_text(f"Reason: {reason}")
    pdf.line_text(
        "Before release, review every item marked for review and redact information about other "
        "people (UK GDPR Article 15(4); Data Protection Act 2018 Schedule 2 Part 3).",
        size=9,
    )
    pdf.ln(2)
    pdf.line_text("About the person", bold=True, size=14)
    for key, value in person.items():
        pdf.line_text(f"{_words(key)}: {_value(value)}", size=10)
    for key, title in SECTIONS:
        items = record.get(key) or []
        pdf.ln(3)
        pdf.line_text(f"{title} ({len(items)})", bold=True, size=14)
        if not items:
            pdf.line_text("None held.", size=9)
        for number, item in enumerate(items, start=1):
            review = item.get("review_before_release") or []
            pdf.line_text(
                f"{number}." + (f" REVIEW: {' / '.join(review)}" if review else ""),
                bold=True,
                size=9,
                indent=2,
            )
            for field, value in item.items():
                if field == "review_before_release":
                    continue
                pdf.line_text(f"{_words(field)}: {_value(value)}", size=8, indent=6)
    return bytes(pdf.output())
