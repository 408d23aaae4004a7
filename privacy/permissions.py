"""Who may carry out privacy operations."""

from __future__ import annotations

from families.models import User

# A subject access request is answered by the council's data officers and administrators:
# they see every family (read only) and the export holds every note, sensitive ones included.
SUBJECT_ACCESS_ROLES = {User.Role.DATA_OFFICER, User.Role.ADMINISTRATOR}


def can_prepare_subject_access(user: User | None) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in SUBJECT_ACCESS_ROLES
    )
