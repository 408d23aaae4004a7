"""Who may see claims. Who may act on a batch is declared in `claims.workflow`."""

from __future__ import annotations

from families.models import User

from . import workflow

# Roles that read claim batches. Keyworkers see none; team managers see the batches and the
# claims for their team's families; the others see every claim.
VIEW_ROLES = {
    User.Role.PROGRAMME_MANAGER,
    User.Role.TEAM_MANAGER,
    User.Role.AUDITOR,
    User.Role.DATA_OFFICER,
    User.Role.ADMINISTRATOR,
}
# Roles that read frozen evidence and download returns and evidence packs.
EVIDENCE_ROLES = {
    User.Role.PROGRAMME_MANAGER,
    User.Role.AUDITOR,
    User.Role.DATA_OFFICER,
    User.Role.ADMINISTRATOR,
}


def can_view_claims(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in VIEW_ROLES)


def can_view_evidence(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in EVIDENCE_ROLES)


def can_draft(user) -> bool:
    return can_view_claims(user) and workflow.allowed(action="create", status=None, user=user)


def can_audit(user) -> bool:
    return bool(user and user.is_authenticated and user.role == User.Role.AUDITOR)
