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


# --- sections the families app adds itself -------------------------------------------------------


def family_team_section(*, request, family: Family) -> Section:
    """The team around the family: step, lead keyworker, named workers, partner professionals."""
    from . import permissions, selectors

    user = request.user
    partners = [p for p in selectors.partner_professional_list(family=family) if p.is_current]
    step = selectors.current_step(family=family)
    return Section(
        anchor="team-around-the-family",
        title="Team around the family",
        template="families/_team_section.html",
        context={
            "step": step,
            "step_label": selectors.step_label(step),
            "named_workers": list(selectors.named_worker_list(family=family)),
            "current_partners": partners,
            "may_manage_team": permissions.can_manage_family(user, family),
            "may_reopen": permissions.can_manage_family(user, family)
            and family.status == Family.Status.CLOSED,
        },
    )


def family_notes_section(*, request, family: Family) -> Section | None:
    """The latest case notes with their type, who was there and their files (none for a role
    that reads no case notes)."""
    from . import permissions, selectors

    if not permissions.can_read_case_notes(request.user):
        return None

    return Section(
        anchor="case-notes",
        title="Case notes and files",
        template="families/_notes_section.html",
        context={
            "recent_notes": selectors.case_note_list(user=request.user, family=family, limit=5)
        },
    )
