"""The outcomes section of the family page (wired in `settings.FAMILY_PAGE_SECTIONS`)."""

from __future__ import annotations

from families.models import Family
from families.sections import Section


def family_outcomes_section(*, request, family: Family) -> Section:
    """Each problem's status, why, the evidence used, what is missing; then the evidence."""
    return Section(anchor="outcomes", title="Outcomes", template="outcomes/_family_panel.html")
