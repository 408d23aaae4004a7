"""Who may write a family's assessment, plan and reviews: those who may change the family's
record (`families.permissions.can_edit_family`), on a family they can see."""

from __future__ import annotations

from families.models import Family, User
from families.permissions import can_edit_family, is_system
from families.selectors import family_scope


def can_write_plan(user: User | None, family: Family) -> bool:
    """Keyworkers on the family, its team's managers and programme managers, while it is open."""
    if not can_edit_family(user, family):
        return False
    return is_system(user) or family_scope(user=user).filter(pk=family.pk).exists()
