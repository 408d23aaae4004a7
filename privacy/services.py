"""Privacy operations that write: subject access exports (logged) and the retention schedule.

`retention_apply` anonymises each family whose records have expired (`privacy.retention`), each
in its own transaction, so a family is either wholly anonymised or untouched (its row history
too, each rewritten event recorded in the audit chain as a redaction), and removes the details
of partner rows that never matched. The access log is kept: it is chained, and holds record ids,
not names. It runs as the owner of the tables (`core.database.as_owner`): the application's role
may not rewrite history. What
it keeps: counts (families, members, their roles, sex and year of birth, dates of the case, the
evidence facts and every claim), so reports over past years still add up.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from casework.models import Action, Assessment, Goal, GoalProgress, Review
from claims.models import Claim
from core.validation import Errors
from families.models import (
    AccessLog,
    CaseNote,
    CaseNoteFile,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    Intervention,
    Membership,
    Notification,
    PartnerProfessional,
    Person,
    StepChange,
    User,
)
from families.services import access_log_record, family_event_record
from families.services.audit_chain import audit_chain_redact
from outcomes.models import Evaluation, Evidence
from referrals.models import ImportRow

from . import exports, retention, selectors
from .models import Anonymisation, SubjectAccessExport
from .permissions import can_prepare_subject_access

logger = logging.getLogger(__name__)

REMOVED = "[Removed under the retention schedule]"
ANONYMISED = "Anonymised"
REASON_MAX = 1000


# --- subject access ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


@transaction.atomic
def subject_access_export(
    *, actor: User, person: Person, reason: str, format: str = SubjectAccessExport.Format.PDF
) -> ExportFile:
    """Everything held about a person as a PDF or JSON file; logged with the reason."""
    if not can_prepare_subject_access(actor):
        raise PermissionDenied(
            "Only a data officer or an administrator can prepare a subject access export."
        )
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", "Enter the reason for the export, such as the request it answers")
    elif len(reason) > REASON_MAX:
        errors.add("reason", f"The reason must be {REASON_MAX} characters or fewer")
    if format not in SubjectAccessExport.Format.values:
        errors.add("format", "Select PDF or JSON")
    errors.raise_if_any()
    record = selectors.subject_access_record(person=person)
    SubjectAccessExport.objects.create(
        person=person, prepared_by=actor, reason=reason, format=format
    )
    families = list(Family.objects.filter(memberships__person=person).distinct())
    access_log_record(
        user=actor,
        families=families,
        via=AccessLog.Via.EXPORT,
        action=f"Subject access export ({format.upper()}): {reason}"[:80],
        path=f"privacy/people/{person.reference}/subject-access/",
    )
    stem = f"subject-access-{person.reference}-{timezone.localdate().isoformat()}"
    if format == SubjectAccessExport.Format.JSON:
        return ExportFile(exports.subject_access_json(record), f"{stem}.json", "application/json")
    content = exports.subject_access_pdf(record, prepared_by=actor.display_name, reason=reason)
    return ExportFile(content, f"{stem}.pdf", "application/pdf")


# --- retention -----------------------------------------------------------------------------------


def _rules() -> dict[str, int]:
    return settings.PRIVACY_RETENTION


@dataclass(frozen=True)
class ExpiredFamily:
    family_id: int
    reference: str
    expires_on: date
    rule: str


@dataclass
class RetentionReport:
    today: date
    dry_run: bool
    families: list[ExpiredFamily] = field(default_factory=list)
    kept_for_claims: list[str] = field(default_factory=list)  # references
    failed: list[str] = field(default_factory=list)  # references left untouched after an error
    people: int = 0
    unmatched_rows: int = 0


def _claim_date(paid_on, approved_at, created_at) -> date:
    """When a claim's audit period starts: its batch's payment, else approval, else the claim."""
    if paid_on:
        return paid_on
    return timezone.localdate(approved_at or created_at)


def expired_families(
    *, today: date, family_ids: list[int] | None = None
) -> tuple[list[ExpiredFamily], list[str]]:
    """Closed families not yet anonymised whose records have expired today (three queries), and
    the references of those kept only because a claim is still in its audit period."""
    rules = _rules()
    done = Anonymisation.objects.values("family_id")
    families = Family.objects.filter(status=Family.Status.CLOSED).exclude(pk__in=done)
    if family_ids is not None:
        families = families.filter(pk__in=family_ids)
    closed = list(families.values_list("pk", "reference", "closed_on", "attached_on"))
    ids = [row[0] for row in closed]
    births: dict[int, list] = {}
    for family_id, born in Membership.objects.filter(
        family_id__in=ids, role=Membership.Role.CHILD
    ).values_list("family_id", "person__date_of_birth"):
        births.setdefault(family_id, []).append(born)
    claims: dict[int, list] = {}
    for family_id, *dates in Claim.objects.filter(family_id__in=ids).values_list(
        "family_id", "batch__paid_on", "batch__approved_at", "created_at"
    ):
        claims.setdefault(family_id, []).append(_claim_date(*dates))
    expired, kept = [], []
    for pk, reference, closed_on, attached_on in closed:
        common = {
            "rules": rules,
            "closed_on": closed_on,
            "attached_on": attached_on,
            "child_dates_of_birth": births.get(pk, ()),
        }
        expiry = retention.family_expiry(**common, claim_dates=claims.get(pk, ()))
        if retention.is_expired(expiry, today):
            expired.append(ExpiredFamily(pk, reference, expiry.expires_on, expiry.rule))
        elif retention.is_expired(retention.family_expiry(**common), today):
            kept.append(reference)
    return expired, kept


def _redacted(name: str):
    """A text column's value once anonymised: blank stays blank, anything else is replaced."""
    return Case(When(**{name: ""}, then=Value("")), default=Value(REMOVED))


def _change_model(model):
    """The row history model (`<Model>Change`, written by the database triggers) of a model,
    or None if it is not tracked."""
    changes = getattr(model, "row_changes", None)
    return changes.rel.related_model if changes is not None else None


def _scrub_changes(model, ids, **values) -> None:
    """Replace these fields in every event of the rows' database history, and record each
    rewritten event in the audit chain as a redaction (it is chained: any other change to it
    is reported as tampering)."""
    change = _change_model(model)
    if change is None:
        return
    fields = {f.name for f in change._meta.concrete_fields}
    values = {k: v for k, v in values.items() if k in fields}
    if not values:
        return
    events = change.objects.filter(pgh_obj_id__in=ids)
    event_ids = list(events.values_list("pk", flat=True))
    if not event_ids:
        return
    change.objects.filter(pk__in=event_ids).update(**values)
    audit_chain_redact(table=change._meta.db_table, ids=event_ids)


def _scrub(model, ids, **values) -> None:
    """Replace these fields on the rows and on every earlier version of them in their history
    (django-simple-history's and the database's)."""
    ids = list(ids)
    if not ids:
        return
    model.objects.filter(pk__in=ids).update(**values)
    history = getattr(model, "history", None)
    if history is not None:
        history.model.objects.filter(id__in=ids).update(**values)
    _scrub_changes(model, ids, **values)


def _ids(queryset):
    return queryset.values_list("pk", flat=True)


NAME_KEYS = {"subject", "name"}


def _name_pattern(names: set[str]) -> re.Pattern | None:
    """Whole-word matches of the members' names, longest first (full names before parts)."""
    words = sorted({n.strip() for n in names if len(n.strip()) > 1}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def _without_names(value, pattern: re.Pattern | None):
    """Stored evaluation results name each member ("subject", and in the words of their facts):
    replace the names, keep the rest."""
    if isinstance(value, dict):
        return {
            k: ANONYMISED
            if k in NAME_KEYS and isinstance(v, str) and v
            else _without_names(v, pattern)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without_names(v, pattern) for v in value]
    if isinstance(value, str) and pattern is not None:
        return pattern.sub(ANONYMISED, value)
    return value


def _anonymise_evaluations(family: Family) -> None:
    names: set[str] = set()
    for first, last in Person.objects.filter(memberships__family=family).values_list(
        "first_name", "last_name"
    ):
        names |= {f"{first} {last}", first, last}
    pattern = _name_pattern(names | {family.name})
    for evaluation in Evaluation.objects.filter(family=family).only("pk", "result"):
        cleaned = _without_names(evaluation.result, pattern)
        if cleaned != evaluation.result:
            Evaluation.objects.filter(pk=evaluation.pk).update(result=cleaned)


def _anonymise_people(people: list[Person]) -> None:
    ids = [p.pk for p in people]
    _scrub(Person, ids, first_name=ANONYMISED, last_name="person", upn="", ni_number="")
    for person in people:
        # The year of birth stays (1 January of it), so counts by age group still add up.
        born = person.date_of_birth.replace(month=1, day=1) if person.date_of_birth else None
        _scrub(Person, [person.pk], date_of_birth=born)
    evidence_ids = list(_ids(Evidence.objects.filter(person_id__in=ids)))
    _scrub(Evidence, evidence_ids, correction_reason=_redacted("correction_reason"))
    for evidence in Evidence.objects.filter(person_id__in=ids, data__has_key="description"):
        evidence.data = {**evidence.data, "description": REMOVED}
        evidence.save(update_fields=["data"])
    _without_descriptions(Evidence, evidence_ids)
    ImportRow.objects.filter(matched_person_id__in=ids).update(raw={"removed": REMOVED})


def _without_descriptions(model, ids) -> None:
    """The evidence's free-text description, removed from every event in its database history."""
    change = _change_model(model)
    if change is None or not ids:
        return
    rewritten = []
    for event in change.objects.filter(pgh_obj_id__in=ids, data__has_key="description").only(
        "pk", "data"
    ):
        if event.data["description"] != REMOVED:
            change.objects.filter(pk=event.pk).update(data={**event.data, "description": REMOVED})
            rewritten.append(event.pk)
    audit_chain_redact(table=change._meta.db_table, ids=rewritten)


@transaction.atomic
def family_anonymise(*, actor: User, family_id: int, today: date) -> Anonymisation | None:
    """Anonymise one expired family and the members who belong to no family still kept; None if
    it has been anonymised already or is not (or no longer) expired."""
    family = Family.objects.select_for_update().filter(pk=family_id).first()
    if family is None or Anonymisation.objects.filter(family=family).exists():
        return None
    # Checked again inside the transaction: a case reopened since the list was made is kept.
    found = next(iter(expired_families(today=today, family_ids=[family.pk])[0]), None)
    if found is None:
        return None
    kept_families = Family.objects.exclude(
        pk__in=Anonymisation.objects.values("family_id")
    ).exclude(pk=family.pk)
    people = list(
        Person.objects.filter(memberships__family=family)
        .exclude(memberships__family__in=kept_families)
        .distinct()
    )
    _anonymise_evaluations(family)  # first: it reads the names it replaces
    outward = family.postcode.split(" ")[0] if family.postcode else ""
    _scrub(Family, [family.pk], name=ANONYMISED, address="", postcode=outward)
    _scrub(
        Membership,
        _ids(Membership.objects.filter(family=family)),
        relationship="",
        end_reason=_redacted("end_reason"),
    )
    _scrub(FamilyProblem, _ids(family.problems.all()), evidence=_redacted("evidence"))
    _scrub(Intervention, _ids(family.interventions.all()), worker_name="", notes=_redacted("notes"))
    notes = CaseNote.objects.filter(family=family)
    _scrub(CaseNote, _ids(notes), text=REMOVED, present_others="")
    CaseNote.present.through.objects.filter(casenote__family=family).delete()
    files = list(CaseNoteFile.objects.filter(note__family=family))
    CaseNoteFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    # The files' names (often a person's) stay in their database history: removed there too.
    _scrub_changes(CaseNoteFile, [f.pk for f in files], name=REMOVED, file="")
    for stored in files:
        transaction.on_commit(lambda name=stored.file.name, f=stored: f.file.storage.delete(name))
    _scrub(StepChange, _ids(family.step_changes.all()), reason=REMOVED)
    _scrub(
        PartnerProfessional,
        _ids(family.partners.all()),
        name=ANONYMISED,
        phone="",
        email="",
    )
    _scrub(
        ConsentRecord,
        _ids(family.consents.all()),
        given_by=ANONYMISED,
        withdrawn_by=Case(When(withdrawn_by="", then=Value("")), default=Value(ANONYMISED)),
        notes=_redacted("notes"),
    )
    FamilyEvent.objects.filter(family=family).update(
        summary=Case(
            *[When(kind=kind, then=Value(label)) for kind, label in FamilyEvent.Kind.choices],
            default=Value(REMOVED),
        )
    )
    Notification.objects.filter(family=family).delete()
    _scrub(
        Assessment,
        _ids(Assessment.objects.filter(family=family)),
        strengths=_redacted("strengths"),
        family_view=_redacted("family_view"),
        worries=_redacted("worries"),
        contributors=_redacted("contributors"),
    )
    _scrub(Goal, _ids(Goal.objects.filter(plan__family=family)), text=REMOVED)
    _scrub(
        Action,
        _ids(Action.objects.filter(goal__plan__family=family)),
        text=REMOVED,
        assigned_name=Case(When(assigned_name="", then=Value("")), default=Value(ANONYMISED)),
    )
    _scrub(
        Review,
        _ids(Review.objects.filter(plan__family=family)),
        attended=REMOVED,
        notes=_redacted("notes"),
    )
    _scrub(
        GoalProgress,
        _ids(GoalProgress.objects.filter(review__plan__family=family)),
        text=_redacted("text"),
    )
    _scrub(
        Evidence,
        _ids(Evidence.objects.filter(family=family)),
        correction_reason=_redacted("correction_reason"),
    )
    _anonymise_people(people)
    anonymisation = Anonymisation.objects.create(
        family=family,
        rule=found.rule[:200],
        expired_on=found.expires_on,
        anonymised_on=today,
        people=len(people),
    )
    family_event_record(
        family=family,
        kind=FamilyEvent.Kind.ANONYMISED,
        occurred_on=today,
        summary=f"Record anonymised under the retention schedule: {found.rule}",
        actor=actor,
    )
    return anonymisation


@transaction.atomic
def unmatched_rows_expire(*, today: date, dry_run: bool = False) -> int:
    """Remove the details of partner rows never matched within their period; how many."""
    cutoff = retention.expired_up_to(today, _rules()["unmatched_row_years"])
    rows = ImportRow.objects.filter(
        status=ImportRow.Status.UNMATCHED, file__created_at__date__lte=cutoff
    )
    if dry_run:
        return rows.count()
    return rows.update(status=ImportRow.Status.EXPIRED, raw={"removed": REMOVED}, errors=[])


def retention_apply(
    *, actor: User, today: date | None = None, dry_run: bool = False
) -> RetentionReport:
    """Apply the retention schedule as of a day (today by default); with `dry_run`, only say what
    it would do. Each family is anonymised in its own transaction; safe to run twice. Callers run
    it inside `as_owner(DEFAULT_DB_ALIAS)` (the command and the nightly task do)."""
    today = today or timezone.localdate()
    expired, kept = expired_families(today=today)
    report = RetentionReport(today=today, dry_run=dry_run, kept_for_claims=kept)
    for candidate in expired:
        if dry_run:
            report.families.append(candidate)
            continue
        try:
            done = family_anonymise(actor=actor, family_id=candidate.family_id, today=today)
        except Exception:  # one family's failure rolls back that family only; the rest go on
            logger.exception("Could not anonymise family %s", candidate.reference)
            report.failed.append(candidate.reference)
            continue
        if done is not None:
            report.families.append(candidate)
            report.people += done.people
    report.unmatched_rows = unmatched_rows_expire(today=today, dry_run=dry_run)
    return report
