"""Sections other apps add to the family page, without the families app knowing them.

`settings.FAMILY_PAGE_SECTIONS` names functions ``(*, request, family) -> Section | None``; the
family page lists each section in its contents and includes its template (with the page's
context plus the section's own). Config wires them, so dependencies keep running one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Family


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def family_page_sections(*, request, family: Family) -> list[Section]:
    sections = []
    for path in getattr(settings, "FAMILY_PAGE_SECTIONS", ()):
        section = import_string(path)(request=request, family=family)
        if section is not None:
            sections.append(section)
    return sections
