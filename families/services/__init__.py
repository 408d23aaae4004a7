"""Every change to family records: checked, written atomically with history, and logged.

Services are keyword-only, take the acting user (`actor`, always: automated work passes
`system_actor()`), and raise `ValidationError` (with the field it concerns), `PermissionDenied`
or a `DomainError` that views turn into a clear message. By subject:

- `families`: a family's lifecycle (create, attach, close) and its problems
- `people`: people and their dated household membership
- `work`: interventions, case notes (with their files) and consent
- `team`: the team around the family and case movement (lead keyworker, named workers,
  partner professionals, step up and down, reopen, move team)
- `events`: the family timeline and the access log, for every app
- `notifications`: messages to people, for every app
- `system`: the system actor
"""

from .events import NewEvent, access_log_record, family_event_record, family_events_record
from .families import (
    family_attach,
    family_close,
    family_create,
    family_problem_identify,
)
from .notifications import Notice, notification_mark_read, notifications_send
from .people import member_add, membership_add, membership_end, person_create
from .system import SYSTEM_USERNAME, system_actor
from .team import (
    family_reallocate,
    family_reopen,
    family_step_change,
    family_transfer,
    family_worker_add,
    family_worker_remove,
    partner_professional_add,
    partner_professional_end,
    reopen_status,
)
from .work import (
    case_note_add,
    consent_record,
    consent_withdraw,
    intervention_end,
    intervention_record,
)

__all__ = [
    "SYSTEM_USERNAME",
    "NewEvent",
    "Notice",
    "access_log_record",
    "case_note_add",
    "consent_record",
    "consent_withdraw",
    "family_attach",
    "family_close",
    "family_create",
    "family_event_record",
    "family_events_record",
    "family_problem_identify",
    "family_reallocate",
    "family_reopen",
    "family_step_change",
    "family_transfer",
    "family_worker_add",
    "family_worker_remove",
    "partner_professional_add",
    "partner_professional_end",
    "reopen_status",
    "intervention_end",
    "intervention_record",
    "member_add",
    "membership_add",
    "membership_end",
    "notification_mark_read",
    "notifications_send",
    "person_create",
    "system_actor",
]
