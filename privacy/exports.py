"""A subject access export as JSON and as a readable PDF (DejaVu Sans, as the evidence pack)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from fpdf import FPDF

from claims.exports import FONT, FONT_DIR

from .selectors import SECTIONS


def subject_access_json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")


class SubjectAccessPdf(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.export_title = title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Family keywork")

    def header(self):
        self.set_font(FONT, "", 8)
        self.cell(
            0,
            5,
            f"{self.export_title} – Official – sensitive – review before release",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")

    def text_line(self, text: str, *, bold: bool = False, size: int = 10, indent: float = 0):
        self.set_font(FONT, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, str(text), new_x="LMARGIN", new_y="NEXT")


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
    pdf.text_line(f"Subject access export: {name}", bold=True, size=18)
    pdf.ln(2)
    pdf.text_line(f"Prepared by {prepared_by} on {record['prepared_at']}")
    pdf.text_line(f"Reason: {reason}")
    pdf.text_line(
        "Before release, review every item marked for review and redact information about other "
        "people (UK GDPR Article 15(4); Data Protection Act 2018 Schedule 2 Part 3).",
        size=9,
    )
    pdf.ln(2)
    pdf.text_line("About the person", bold=True, size=14)
    for key, value in person.items():
        pdf.text_line(f"{_words(key)}: {_value(value)}", size=10)
    for key, title in SECTIONS:
        items = record.get(key) or []
        pdf.ln(3)
        pdf.text_line(f"{title} ({len(items)})", bold=True, size=14)
        if not items:
            pdf.text_line("None held.", size=9)
        for number, item in enumerate(items, start=1):
            review = item.get("review_before_release") or []
            pdf.text_line(
                f"{number}." + (f" REVIEW: {' / '.join(review)}" if review else ""),
                bold=True,
                size=9,
                indent=2,
            )
            for field, value in item.items():
                if field == "review_before_release":
                    continue
                pdf.text_line(f"{_words(field)}: {_value(value)}", size=8, indent=6)
    return bytes(pdf.output())
