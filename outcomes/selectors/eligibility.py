"""Reads of the eligibility check's runs, for the roles that oversee them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from families.models import User
from outcomes.models import EligibilityRun

RUN_VIEWER_ROLES = {
    User.Role.TEAM_MANAGER,
    User.Role.PROGRAMME_MANAGER,
    User.Role.DATA_OFFICER,
    User.Role.ADMINISTRATOR,
}


def eligibility_run_list(*, user: User) -> QuerySet[EligibilityRun]:
    """Eligibility runs, newest first, for the roles that oversee them; PermissionDenied for others."""
    if user.role not in RUN_VIEWER_ROLES:
        raise PermissionDenied("Eligibility checks are for managers.")
    return EligibilityRun.objects.select_related("plan_version", "triggered_by")
