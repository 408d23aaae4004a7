"""The privacy section of the family page, for data officers and administrators only (wired in
`settings.FAMILY_PAGE_SECTIONS`): a subject access export for each member."""

from __future__ import annotations

from families.models import Family, Membership
from families.sections import Section

from .permissions import can_prepare_subject_access


def family_privacy_section(*, request, family: Family) -> Section | None:
    if not can_prepare_subject_access(request.user):
        return None
    people = {
        m.person_id: m.person
        for m in Membership.objects.filter(family=family)
        .select_related("person")
        .order_by("person__first_name", "person__last_name")
    }
    return Section(
        anchor="privacy",
        title="Subject access",
        template="privacy/_family_section.html",
        context={"privacy_people": list(people.values())},
    )
