"""What each role may do with family records. Scoping of reads lives in selectors."""

from __future__ import annotations

from .models import Family, User

# Roles that see every family (read); everyone else is scoped to their caseload or team.
SEE_ALL_ROLES = {
    User.Role.PROGRAMME_MANAGER,
    User.Role.AUDITOR,
    User.Role.DATA_OFFICER,
    User.Role.ADMINISTRATOR,
}
# Roles that may change case records (within what they can see). Auditors, data officers
# and administrators read case records only: evidence comes in through imports and claims.
EDIT_ROLES = {User.Role.KEYWORKER, User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER}
# Roles that may create families and change their lifecycle (attach, close, reassign).
MANAGE_ROLES = {User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER}
# The system user (families.services.system_actor) does the work of partner files and
# scheduled jobs: it may create and change records, and it sees no pages (it cannot sign in).
SYSTEM = User.Role.SYSTEM


def is_system(user: User | None) -> bool:
    return getattr(user, "role", None) == SYSTEM


def can_edit_family(user: User | None, family: Family) -> bool:
    """Whether the user may record notes, members, interventions and consent on a family they can see."""
    if user is None or family.status == Family.Status.CLOSED:
        return False
    return is_system(user) or (user.is_authenticated and user.role in EDIT_ROLES)


def can_withdraw_consent(user: User | None, family: Family) -> bool:
    """Whether the user may record that consent was withdrawn: the workers who may change the
    family's record, and data officers (who answer data protection requests). A withdrawal is
    recorded even after the case has closed: the family's right to withdraw does not end."""
    if is_system(user):
        return True
    return (
        user is not None
        and user.is_authenticated
        and user.role in EDIT_ROLES | {User.Role.DATA_OFFICER}
    )


def can_record_people(user: User | None) -> bool:
    """Whether the user may add people (as members of a family they work with, or from a file)."""
    return is_system(user) or (
        user is not None and user.is_authenticated and user.role in EDIT_ROLES
    )


def can_create_family(user: User | None) -> bool:
    """Families come into the programme through their managers; keyworkers ask their team manager."""
    return is_system(user) or (
        user is not None and user.is_authenticated and user.role in MANAGE_ROLES
    )


def can_manage_family(user: User | None, family: Family) -> bool:
    """Attach, close, allocate: programme managers for any family, team managers for their team's."""
    if is_system(user):
        return True
    if user is None or not user.is_authenticated or user.role not in MANAGE_ROLES:
        return False
    if user.role == User.Role.TEAM_MANAGER:
        return family.team_id is not None and family.team_id == user.team_id
    return True


# Roles that never read case notes (their text, their files, that a note was written on a day):
# a data officer works with identifiers and evidence, not with what keyworkers write.
NO_NOTES_ROLES = {User.Role.DATA_OFFICER}


def can_read_case_notes(user: User | None) -> bool:
    """Whether the user reads case notes at all (on families they see); sensitive ones need more."""
    return is_system(user) or (
        user is not None and user.is_authenticated and user.role not in NO_NOTES_ROLES
    )


def can_read_sensitive_notes(user: User | None, family: Family) -> bool:
    """A sensitive note is read by the family's lead keyworker and by managers who see the family
    (its team manager, programme managers); the note's author reads their own (selectors)."""
    if not can_read_case_notes(user) or not user.is_authenticated:
        return False
    if user.role == User.Role.PROGRAMME_MANAGER:
        return True
    if user.role == User.Role.TEAM_MANAGER:
        return family.team_id is not None and family.team_id == user.team_id
    return family.lead_keyworker_id is not None and family.lead_keyworker_id == user.pk


def can_see_team(user: User | None, team_id: int | None) -> bool:
    """The team page: a team manager sees their own team; programme-wide roles see any team."""
    if user is None or not user.is_authenticated or team_id is None:
        return False
    if user.role in SEE_ALL_ROLES:
        return True
    return user.role == User.Role.TEAM_MANAGER and user.team_id == team_id


# Roles that read who saw and who changed a family's records (the access history page).
ACCESS_HISTORY_ROLES = {User.Role.AUDITOR, User.Role.PROGRAMME_MANAGER}


def can_view_access_history(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in ACCESS_HISTORY_ROLES)
