"""Who may read the programme reports (docs/reports.md).

Reports count families; they show no one's name except a family's own case study, which follows
the family's own scope (`families.selectors.family_get`). The national identifier extract is
personal data sent outside the council, so only the roles that prepare returns may export it.
"""

from __future__ import annotations

from families.models import User

REPORT_ROLES = {
    User.Role.PROGRAMME_MANAGER,
    User.Role.TEAM_MANAGER,
    User.Role.DATA_OFFICER,
    User.Role.AUDITOR,
}
NATIONAL_EXTRACT_ROLES = {User.Role.PROGRAMME_MANAGER, User.Role.DATA_OFFICER}


def can_view_reports(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in REPORT_ROLES)


def can_export_national_extract(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in NATIONAL_EXTRACT_ROLES)
