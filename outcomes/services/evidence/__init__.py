"""Recording and correcting evidence: typed, versioned, never edited in place, never deleted.

A record is validated through the engine's own dataclasses (`evidence_from_dict`), so what
is stored is exactly what the rules can read. Each record has a per-kind *natural key*, the
identity of the fact across partner files and corrections, and a SHA-256 *digest* of its
canonical JSON, so recording the same fact twice changes nothing:

- same natural key, same digest → the current record, "unchanged";
- same natural key, different digest → a new version superseding the old one, "corrected";
- otherwise → a new record, "created".

Natural keys (subject is ``p<person id>`` or ``f<family id>``):

======================== ============================================================
kind                     natural key
======================== ============================================================
school_attendance        subject, academic year, term
exclusions               subject, start date, exclusion type
offences                 subject, offence date, description (case and spaces ignored)
asb_incidents            subject, incident date, source
domestic_abuse_callouts  subject, call-out date
benefit_spells           subject, benefit, start date
employment_spells        subject, start date
work_activity            subject, activity, start date
neet_status              subject, status, start date
child_plans              subject, plan, start date
treatment                subject, substance, start date
member_flags             subject, flag, start date
judgement                subject, code, date recorded
======================== ============================================================

`evidence_prepare` computes all of this without touching the database, so bulk loaders
(the demo data) store exactly what the service would.

By subject: `cleaning` (checking a record's fields), `identity` (natural keys, digests, dates,
`evidence_prepare`) and `recording` (the services and who may use them).
"""

from .cleaning import (
    CORRECTED,
    CREATED,
    FIELD_NAMES,
    IMPORT_ROLES,
    UNCHANGED,
    evidence_clean,
    evidence_field_required,
    field_name,
    judgement_codes,
    today,
)
from .identity import (
    PreparedEvidence,
    content_digest,
    evidence_dates,
    evidence_prepare,
    natural_key,
    subject_key,
    term_calendar,
)
from .recording import (
    KIND_LABELS,
    evidence_correct,
    evidence_record,
    evidence_summary,
)

__all__ = [
    "CORRECTED",
    "CREATED",
    "FIELD_NAMES",
    "IMPORT_ROLES",
    "KIND_LABELS",
    "PreparedEvidence",
    "UNCHANGED",
    "content_digest",
    "evidence_clean",
    "evidence_correct",
    "evidence_dates",
    "evidence_field_required",
    "evidence_prepare",
    "evidence_record",
    "evidence_summary",
    "field_name",
    "judgement_codes",
    "natural_key",
    "subject_key",
    "term_calendar",
    "today",
]
