"""The family plan section of the family page (wired in `settings.FAMILY_PAGE_SECTIONS`)."""

from __future__ import annotations

from families.models import Family
from families.sections import Section

from .permissions import can_write_plan
from .selectors import family_plan_get


def family_plan_section(*, request, family: Family) -> Section:
    """The assessment, the plan's goals with their actions, and the reviews (fixed queries)."""
    return Section(
        anchor="plan",
        title="Family plan",
        template="casework/_family_plan.html",
        context={
            "view": family_plan_get(user=request.user, family=family),
            "may_write": can_write_plan(request.user, family),
        },
    )
