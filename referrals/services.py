"""Applying partner data files: all or nothing by default, every row kept as received.

`import_file_apply` reads and checks every row first. A file with any invalid row is
rejected whole (nothing applied) unless the import is partial, when the valid rows are
applied and the rejected ones kept with their problems for correction. Applying happens in
one transaction: if anything fails while applying a whole file, nothing stays applied.

Evidence rows are matched to a person (`referrals.matching`) and recorded through
`outcomes.services.evidence.evidence_record`, whose natural keys and digests make a
second import of the same file apply nothing. A `households` file brings a caseload across
through the family services, so history and family events are written as for any change;
families and people keep the file's references, so a second import finds them again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from families import services as family_services
from families.models import Family, Membership, Person, User
from families.permissions import is_system
from families.selectors import people_with_consent_withdrawn
from families.services import system_actor
from outcomes.models import Evidence
from outcomes.services.evidence import CORRECTED, CREATED, IMPORT_ROLES, evidence_record

from .importing import (
    DATASETS,
    STARS,
    CheckedRow,
    FileProblem,
    HouseholdLookups,
    StarLookups,
    check_header,
    check_household_consistency,
    check_row,
    read_table,
)
from .matching import match_person
from .models import ImportFile, ImportRow


class _Rollback(Exception):
    """Undo everything applied from a whole file when one row fails while applying."""


def _check_actor(actor: User) -> None:
    if not is_system(actor) and getattr(actor, "role", None) not in IMPORT_ROLES:
        raise PermissionDenied(
            "Only a data officer or an administrator can import partner data files."
        )


def import_file_apply(
    *,
    actor: User,
    kind: str,
    filename: str,
    content: bytes,
    source_name: str = "",
    partial: bool = False,
) -> ImportFile:
    """Read, check, match and apply a partner file; return the stored file with its counts."""
    _check_actor(actor)
    if kind not in DATASETS:
        raise ValidationError({"kind": f"Choose the kind of file: {', '.join(DATASETS)}"})
    header = {
        "kind": kind,
        "filename": filename[:255],
        "sha256": hashlib.sha256(content).hexdigest(),
        "source_name": source_name[:200],
        "mode": ImportFile.Mode.PARTIAL if partial else ImportFile.Mode.WHOLE,
        "uploaded_by": actor,
    }
    try:
        table = read_table(filename, content)
        check_header(kind, table.header)
    except FileProblem as problem:
        rows = getattr(locals().get("table"), "rows", [])
        return _store_rejected(
            header, [CheckedRow(number, raw) for number, raw in rows], problem.messages
        )

    lookups = (
        HouseholdLookups.load()
        if kind == "households"
        else StarLookups.load()
        if kind == STARS
        else None
    )
    checked = [check_row(kind, number, raw, lookups) for number, raw in table.rows]
    if kind == "households":
        check_household_consistency(checked)
    if not checked:
        return _store_rejected(header, [], ["The file has no rows of data under its header"])
    if not partial and any(not row.valid for row in checked):
        return _store_rejected(header, checked, [])

    try:
        with transaction.atomic():
            stored = ImportFile.objects.create(status=ImportFile.Status.APPLIED, **header)
            outcomes = _apply(stored, kind, checked, partial=partial, actor=actor)
            if not partial and any(not row.valid for row in checked):
                raise _Rollback
            _finish(stored, checked, outcomes)
    except _Rollback:
        return _store_rejected(header, checked, [])
    if kind == "households":
        import_rows_retry_unmatched(actor=actor)
    return stored


def _store_rejected(header: dict, rows: list[CheckedRow], file_errors: list[str]) -> ImportFile:
    """Keep a refused file and its rows as received, with every problem; apply nothing."""
    with transaction.atomic():
        stored = ImportFile.objects.create(
            status=ImportFile.Status.REJECTED, file_errors=file_errors, **header
        )
        ImportRow.objects.bulk_create(
            [
                ImportRow(
                    file=stored,
                    row_number=row.row_number,
                    raw=row.raw,
                    status=ImportRow.Status.REJECTED
                    if row.errors
                    else ImportRow.Status.NOT_APPLIED,
                    errors=row.errors,
                )
                for row in rows
            ]
        )
        stored.rows_read = len(rows)
        stored.rows_rejected = (
            sum(1 for row in rows if row.errors) if rows and not file_errors else len(rows)
        )
        stored.save(update_fields=["rows_read", "rows_rejected"])
    return stored


def _finish(stored: ImportFile, rows: list[CheckedRow], outcomes: dict[int, dict]) -> None:
    records = []
    for row in rows:
        outcome = outcomes.get(row.row_number, {})
        status = (
            ImportRow.Status.REJECTED
            if row.errors
            else outcome.get("status", ImportRow.Status.UNCHANGED)
        )
        records.append(
            ImportRow(
                file=stored,
                row_number=row.row_number,
                raw=row.raw,
                status=status,
                errors=row.errors,
                matched_person=outcome.get("person"),
                matched_by=outcome.get("matched_by", ""),
                evidence_id=outcome.get("evidence_id"),
            )
        )
    ImportRow.objects.bulk_create(records)
    statuses = [r.status for r in records]
    stored.rows_read = len(records)
    stored.rows_applied = statuses.count(ImportRow.Status.APPLIED)
    stored.rows_unchanged = statuses.count(ImportRow.Status.UNCHANGED)
    stored.rows_unmatched = statuses.count(ImportRow.Status.UNMATCHED)
    stored.rows_rejected = statuses.count(ImportRow.Status.REJECTED)
    stored.rows_matched = sum(1 for r in records if r.matched_by)
    stored.status = (
        ImportFile.Status.PARTLY_APPLIED if stored.rows_rejected else ImportFile.Status.APPLIED
    )
    stored.save()


def _errors_from(error: ValidationError, default_column: str) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"column": column if column != "__all__" else default_column, "message": message}
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"column": default_column, "message": message} for message in error.messages]


# --- evidence files --------------------------------------------------------------------------------------


def _apply(
    stored: ImportFile, kind: str, rows: list[CheckedRow], *, partial: bool, actor: User
) -> dict[int, dict]:
    if kind == "households":
        return _apply_households(stored, rows, partial=partial, actor=actor)
    withdrawn = _consent_withdrawals()
    if kind == STARS:
        return {
            row.row_number: _apply_star_row(stored, row, partial, withdrawn)
            for row in rows
            if row.valid
        }
    outcomes: dict[int, dict] = {}
    source_name = stored.source_name or stored.filename
    for row in rows:
        if not row.valid:
            continue
        outcomes[row.row_number] = _apply_evidence_row(
            stored, source_name, row, actor, partial, withdrawn
        )
    return outcomes


def _consent_withdrawals() -> dict[int, date]:
    """Who has withdrawn consent to share, and since when (one query per file)."""
    return dict(people_with_consent_withdrawn().values_list("pk", "consent_withdrawn_on"))


def _refuse_withdrawn(row: CheckedRow, match, partial: bool, withdrawn: dict[int, date]) -> dict:
    """Rejected, not held: what a partner sends about someone who withdrew consent is not added,
    so it can never reach an evaluation or a claim (docs/security.md, "Consent")."""
    row.error(
        "person_ref",
        f"{match.person.reference}: consent to share was withdrawn on "
        f"{withdrawn[match.person.pk]:%-d %B %Y}, so this row was not applied. "
        "Remove the row, or import the file again with only the valid rows",
    )
    if not partial:
        raise _Rollback from None
    return {"person": match.person, "matched_by": match.matched_by, "consent_withdrawn": True}


def _apply_evidence_row(
    stored: ImportFile,
    source_name: str,
    row: CheckedRow,
    actor,
    partial: bool,
    withdrawn: dict[int, date],
) -> dict:
    match = match_person(row.identity)
    if match.person is None:
        return {"status": ImportRow.Status.UNMATCHED}
    if match.person.pk in withdrawn:
        return _refuse_withdrawn(row, match, partial, withdrawn)
    try:
        with transaction.atomic():
            record, outcome = evidence_record(
                actor=actor,
                kind=stored.kind,
                data=row.values,
                person=match.person,
                source=Evidence.Source.PARTNER_FILE,
                source_name=source_name,
                source_file=stored.filename,
                import_file_id=stored.pk,
                import_row=row.row_number,
            )
    except ValidationError as error:
        row.errors.extend(_errors_from(error, "person_ref"))
        if not partial:
            raise _Rollback from None
        return {"person": match.person, "matched_by": match.matched_by}
    status = (
        ImportRow.Status.APPLIED if outcome in (CREATED, CORRECTED) else ImportRow.Status.UNCHANGED
    )
    return {
        "status": status,
        "person": match.person,
        "matched_by": match.matched_by,
        "evidence_id": record.pk,
    }


@transaction.atomic
def import_rows_retry_unmatched(*, actor: User) -> int:
    """Try unmatched rows of every applied file again (people may have been added); how many matched."""
    _check_actor(actor)
    matched = 0
    withdrawn = _consent_withdrawals()
    rows = (
        ImportRow.objects.select_related("file")
        .select_for_update(of=("self",))
        .filter(status=ImportRow.Status.UNMATCHED)
    )
    for row in rows:
        checked = check_row(row.file.kind, row.row_number, row.raw)
        if not checked.valid:
            continue
        source_name = row.file.source_name or row.file.filename
        if row.file.kind == STARS:
            outcome = _apply_star_row(row.file, checked, True, withdrawn)
        else:
            outcome = _apply_evidence_row(
                row.file, source_name, checked, actor, partial=True, withdrawn=withdrawn
            )
        if outcome.get("consent_withdrawn"):
            _reject_matched_row(row, checked, outcome)
            continue
        if outcome.get("status") in (None, ImportRow.Status.UNMATCHED):
            continue
        row.status = outcome["status"]
        row.matched_person = outcome["person"]
        row.matched_by = outcome["matched_by"]
        row.evidence_id = outcome.get("evidence_id")
        row.save(
            update_fields=["status", "matched_person", "matched_by", "evidence_id", "updated_at"]
        )
        counts = ImportFile.objects.select_for_update().get(pk=row.file_id)
        counts.rows_unmatched -= 1
        counts.rows_matched += 1
        if row.status == ImportRow.Status.APPLIED:
            counts.rows_applied += 1
        else:
            counts.rows_unchanged += 1
        counts.save(
            update_fields=["rows_unmatched", "rows_matched", "rows_applied", "rows_unchanged"]
        )
        matched += 1
    return matched


# --- Outcomes Star readings ------------------------------------------------------------------------------

# Where a star service's problem belongs in the file: its field → the file's column.
_STAR_COLUMNS = {"read_on": "reading_date", "kind": "reading_type", "person": "person_ref"}


def _star_family(row: CheckedRow, person: Person | None) -> Family | None:
    """The family a reading is recorded on: the row's family_ref, else the person's family
    (the one they live in now, or the last they lived in)."""
    ref = row.values["family_ref"]
    if ref:
        family = Family.objects.filter(reference=ref).first()
        if family is None:
            row.error("family_ref", f"No family has the reference {ref}: check the reference")
        elif person is not None and not family.memberships.filter(person=person).exists():
            row.error(
                "family_ref",
                f"{person.full_name} is not a member of family {ref}: check the reference",
            )
            return None
        return family
    membership = (
        Membership.objects.filter(person=person)
        .select_related("family")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date")
        .first()
    )
    if membership is None:
        row.error(
            "person_ref",
            f"{person.full_name} is not a member of any family: import the households file first",
        )
        return None
    return membership.family


def _apply_star_row(
    stored: ImportFile, row: CheckedRow, partial: bool, withdrawn: dict[int, date]
) -> dict:
    """Record one Star reading through the casework service (as the system), matched to its
    family or child; the same reading again is unchanged, different scores correct it."""
    from casework.models import StarDefinition
    from casework.services import STAR_UNCHANGED, star_reading_record

    definition = row.values["definition"]
    person, matched = None, {}
    if definition.subject == StarDefinition.Subject.PERSON:
        match = match_person(row.identity)
        if match.person is None:
            return {"status": ImportRow.Status.UNMATCHED}
        if match.person.pk in withdrawn:
            return _refuse_withdrawn(row, match, partial, withdrawn)
        person = match.person
        matched = {"person": person, "matched_by": match.matched_by}
    family = _star_family(row, person)
    try:
        if family is None:
            raise _RowFailed
        with transaction.atomic():
            _, outcome = star_reading_record(
                actor=system_actor(),
                family=family,
                definition=definition,
                person=person,
                read_on=row.values["read_on"],
                kind=row.values["kind"],
                scores=row.values["scores"],
                replace=True,
                import_file_id=stored.pk,
            )
    except _RowFailed:
        outcome = None
    except ValidationError as error:
        for problem in _errors_from(error, "family_ref"):
            column = problem["column"]
            problem["column"] = _STAR_COLUMNS.get(column, column.removeprefix("score_"))
            row.errors.append(problem)
        outcome = None
    if outcome is None:
        if not partial:
            raise _Rollback from None
        return matched
    status = ImportRow.Status.UNCHANGED if outcome == STAR_UNCHANGED else ImportRow.Status.APPLIED
    return {"status": status, **matched}


def _reject_matched_row(row: ImportRow, checked: CheckedRow, outcome: dict) -> None:
    """An unmatched row now matches someone whose evidence may not be added (consent withdrawn):
    it is rejected with the reason, and its file's counts move with it."""
    row.status = ImportRow.Status.REJECTED
    row.errors = checked.errors
    row.matched_person = outcome.get("person")
    row.matched_by = outcome.get("matched_by", "")
    row.save(update_fields=["status", "errors", "matched_person", "matched_by", "updated_at"])
    counts = ImportFile.objects.select_for_update().get(pk=row.file_id)
    counts.rows_unmatched -= 1
    counts.rows_matched += 1
    counts.rows_rejected += 1
    counts.save(update_fields=["rows_unmatched", "rows_matched", "rows_rejected"])


# --- households ------------------------------------------------------------------------------------------


def _apply_households(
    stored: ImportFile, rows: list[CheckedRow], *, partial: bool, actor: User
) -> dict[int, dict]:
    groups: OrderedDict[str, list[CheckedRow]] = OrderedDict()
    for row in rows:
        if row.valid:
            groups.setdefault(row.values["family_ref"], []).append(row)
    outcomes: dict[int, dict] = {}
    for family_ref, family_rows in groups.items():
        try:
            with transaction.atomic():
                outcomes.update(_apply_family(family_ref, family_rows))
        except _RowFailed as failure:
            failed, error = failure.args
            failed.errors.extend(_errors_from(error, "family_ref"))
            for other in family_rows:
                if other is not failed:
                    other.error(
                        "family_ref",
                        f"Not applied: row {failed.row_number} for family {family_ref} was rejected; correct it and import again",
                    )
                outcomes.pop(other.row_number, None)
            if not partial:
                raise _Rollback from None
    return outcomes


class _RowFailed(Exception):
    """A family service refused a row: (row, ValidationError)."""


def _apply_family(family_ref: str, rows: list[CheckedRow]) -> dict[int, dict]:
    # The file's uploader is recorded on the ImportFile; the case changes a file makes are the
    # system's (a data officer's own role could not change cases), recorded as such in history.
    actor = system_actor()
    outcomes: dict[int, dict] = {
        row.row_number: {"status": ImportRow.Status.UNCHANGED} for row in rows
    }
    merged = {
        key: next((r.values[key] for r in rows if r.values.get(key)), None)
        for key in (
            "family_status",
            "identified_on",
            "attached_on",
            "closed_on",
            "closure_reason",
            "keyworker",
            "postcode",
            "locality",
            "address",
        )
    }
    status = next(
        (
            r.values["family_status"]
            for r in rows
            if r.values["family_status"] != Family.Status.IDENTIFIED
        ),
        Family.Status.IDENTIFIED,
    )
    changed_row = rows[0]
    family = Family.objects.filter(reference=family_ref).first()
    try:
        if family is None:
            starts = [r.values["member_from"] for r in rows if r.values["member_from"]]
            identified_on = merged["identified_on"] or (
                min(starts) if starts else timezone.localdate()
            )
            adults = [r for r in rows if r.values["role"] == Membership.Role.ADULT]
            keyworker = merged["keyworker"]
            family = family_services.family_create(
                actor=actor,
                name=(adults or rows)[0].values["last_name"],
                identified_on=identified_on,
                address=merged["address"] or "",
                postcode=merged["postcode"] or "",
                locality=merged["locality"],
                team=keyworker.team if keyworker else None,
                lead_keyworker=keyworker,
                reference=family_ref,
            )
            outcomes[changed_row.row_number]["status"] = ImportRow.Status.APPLIED
        for row in rows:
            outcome = outcomes[row.row_number]
            changed_row = row
            person, created = _person_for(row, actor)
            outcome["person"] = person
            if not created:
                outcome["matched_by"] = "person_ref"
            else:
                outcome["status"] = ImportRow.Status.APPLIED
            if _membership_for(row, family, person, actor):
                outcome["status"] = ImportRow.Status.APPLIED
        changed_row = rows[0]
        if _lifecycle(family, status, merged, actor):
            outcomes[changed_row.row_number]["status"] = ImportRow.Status.APPLIED
    except ValidationError as error:
        raise _RowFailed(changed_row, error) from None
    return outcomes


def _person_for(row: CheckedRow, actor) -> tuple[Person, bool]:
    v = row.values
    person = Person.objects.filter(reference=v["person_ref"]).first()
    if person is not None:
        return person, False
    person = family_services.person_create(
        actor=actor,
        first_name=v["first_name"],
        last_name=v["last_name"],
        date_of_birth=v["date_of_birth"],
        sex=v["sex"],
        upn=v["upn"],
        ni_number=v["ni_number"],
        reference=v["person_ref"],
    )
    return person, True


def _membership_for(row: CheckedRow, family: Family, person: Person, actor) -> bool:
    """Add or end the person's membership as the row says; True when something changed."""
    v = row.values
    memberships = list(Membership.objects.filter(family=family, person=person))
    start: date | None = v["member_from"]
    end: date | None = v["member_to"]
    if start is not None:
        existing = next((m for m in memberships if m.start_date == start), None)
    else:
        existing = next((m for m in memberships if m.end_date is None), None) or (
            memberships[-1] if memberships else None
        )
    if existing is not None:
        if end is not None and existing.end_date is None:
            family_services.membership_end(
                actor=actor,
                membership=existing,
                end_date=end,
                reason="As recorded in a partner file",
            )
            return True
        return False
    if start is None:
        start = max(d for d in (family.identified_on, person.date_of_birth) if d is not None)
    family_services.membership_add(
        actor=actor,
        family=family,
        person=person,
        role=v["role"],
        start_date=start,
        relationship=v["relationship"],
        end_date=end,
    )
    return True


def _lifecycle(family: Family, status: str, merged: dict, actor) -> bool:
    """Move the family along its lifecycle to the file's status; True when it moved."""
    family.refresh_from_db()
    moved = False
    if status == family.status:
        return False
    if family.status == Family.Status.CLOSED:
        raise ValidationError(
            {"family_status": "The family's case is closed here: a file cannot reopen it"}
        )
    if family.status == Family.Status.ATTACHED and status == Family.Status.IDENTIFIED:
        return False  # an older file: the product already knows the family is attached
    if family.status == Family.Status.IDENTIFIED and merged["attached_on"]:
        family_services.family_attach(
            actor=actor,
            family=family,
            attached_on=merged["attached_on"],
            keyworker=merged["keyworker"],
        )
        moved = True
    if status == Family.Status.CLOSED:
        family_services.family_close(
            actor=actor,
            family=family,
            closed_on=merged["closed_on"],
            reason=merged["closure_reason"],
        )
        moved = True
    return moved
