"""The retention schedule and the audit trail together: anonymising a family rewrites its
database row history too (no name left in a `<Model>Change` row), records each rewrite in the
hash chain as a redaction so the chain still verifies, and runs as the owner of the tables (the
application's role may not rewrite history). A change made without a redaction, or a redaction
that does not match the row, is still reported."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from families.models import AuditChainLink, CaseNote, CaseNoteFile, Family, Person
from families.services import system_actor
from families.services.audit_chain import REDACTED, audit_chain_verify, link_hash
from privacy.services import ANONYMISED, REMOVED, retention_apply
from tests import factories as f

EXPIRES = date(2023, 12, 1)  # 7 years after the factory's closure on 2016-12-01
ROLE = os.environ.get("APP_DATABASE_ROLE", "keywork_app_test")
PASSWORD = os.environ.get("APP_DATABASE_PASSWORD", "app-role-test-password")


@pytest.fixture(autouse=True)
def rules(settings):
    settings.PRIVACY_RETENTION = {
        "closed_case_years": 7,
        "child_until_age": 0,
        "never_attached_years": 1,
        "unmatched_row_years": 1,
        "claim_audit_years": 7,
    }


@pytest.fixture
def closed(keyworker):
    family = f.ClosedFamilyWithHistoryFactory(
        name="Baker", address="1 Mill Lane", postcode="OX4 1AB", lead_keyworker=keyworker
    )
    ann = f.PersonFactory(first_name="Ann", last_name="Baker")
    f.MembershipFactory(family=family, person=ann, relationship="Mother")
    note = f.CaseNoteFactory(family=family, text="Ann talked about the rent arrears.")
    CaseNoteFile.objects.create(
        note=note,
        file=SimpleUploadedFile("ann-baker-letter.pdf", b"%PDF-1.4"),
        name="Ann Baker letter.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=keyworker,
    )
    # A later edit: the history holds the name twice, in two events.
    Family.objects.filter(pk=family.pk).update(address="2 Mill Lane")
    return family, ann, note


def _change_values(model, pk, *fields):
    return set(
        model.row_changes.rel.related_model.objects.filter(pgh_obj_id=pk).values_list(*fields)
    )


@pytest.mark.django_db
def test_anonymising_rewrites_the_row_history_and_the_chain_still_verifies(closed):
    family, ann, note = closed
    before = len(_change_values(Family, family.pk, "pgh_id"))
    assert ("Baker", "2 Mill Lane") in _change_values(Family, family.pk, "name", "address")
    retention_apply(actor=system_actor(), today=EXPIRES)

    assert _change_values(Family, family.pk, "name", "address", "postcode") == {
        (ANONYMISED, "", "OX4")
    }
    assert _change_values(Person, ann.pk, "first_name", "last_name") == {(ANONYMISED, "person")}
    assert _change_values(CaseNote, note.pk, "text") == {(REMOVED,)}
    files = CaseNoteFile.row_changes.rel.related_model.objects.filter(note_id=note.pk)
    assert set(files.values_list("name", "file")) == {(REMOVED, "")}
    report = audit_chain_verify()
    assert report.ok, report.broken
    redactions = AuditChainLink.objects.filter(source="families_familychange" + REDACTED)
    assert redactions.count() == before  # every event that named them

    # A change to an anonymised history row without a redaction is still tampering...
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE families_familychange SET name = 'Baker' WHERE pgh_obj_id = %s", [family.pk]
        )
    broken = audit_chain_verify().broken
    assert broken is not None and broken.source.startswith("families_familychange")
    assert broken.problem in {
        "the audited row was changed",
        "the redacted row does not match its redaction",
    }


@pytest.mark.django_db
def test_a_redaction_link_that_does_not_match_the_row_is_reported(closed):
    family, _ann, _note = closed
    event = Family.row_changes.rel.related_model.objects.filter(pgh_obj_id=family.pk).first()
    original = AuditChainLink.objects.get(source="families_familychange", source_id=event.pk)
    last = AuditChainLink.objects.order_by("-position").first()
    source, forged = "families_familychange" + REDACTED, "f" * 64
    AuditChainLink.objects.create(
        position=last.position + 1,
        source=source,
        source_id=event.pk,
        columns=original.columns,
        content_hash=forged,
        prev_hash=last.hash,
        hash=link_hash(last.hash, source, event.pk, forged),
        at=timezone.now(),
    )
    broken = audit_chain_verify().broken
    assert (broken.position, broken.source_id) == (last.position + 1, event.pk)
    assert broken.problem == "the redacted row does not match its redaction"
    assert broken.expected == forged


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_runs_as_the_owner_when_the_application_role_may_not_rewrite_history(
    closed, settings
):
    family, ann, _note = closed
    call_command("setup_database_roles", role=ROLE, password=PASSWORD)
    owner = dict(connection.settings_dict)
    saved = {key: owner[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update({"USER": ROLE, "PASSWORD": PASSWORD})
    try:
        # As the application's role alone, the family's history cannot be rewritten: untouched.
        settings.MIGRATION_DATABASE = None
        err = io.StringIO()
        call_command(
            "apply_retention", "--as-of", EXPIRES.isoformat(), stdout=io.StringIO(), stderr=err
        )
        assert family.reference in err.getvalue()
        assert Family.objects.get(pk=family.pk).name == "Baker"

        settings.MIGRATION_DATABASE = owner
        out = io.StringIO()
        call_command("apply_retention", "--as-of", EXPIRES.isoformat(), stdout=out)
        assert "Anonymised 1 families" in out.getvalue()
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == ROLE  # back to the application's role afterwards
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert Family.objects.get(pk=family.pk).name == ANONYMISED
    assert _change_values(Person, ann.pk, "first_name") == {(ANONYMISED,)}
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_the_owner_connection_is_not_switched_inside_a_transaction(settings):
    from core.database import as_owner

    user = connection.settings_dict["USER"]
    settings.MIGRATION_DATABASE = {**connection.settings_dict, "USER": "someone_else"}
    with pytest.raises(RuntimeError, match="before the transaction starts"), as_owner("default"):
        pass
    settings.MIGRATION_DATABASE = dict(connection.settings_dict)
    with as_owner("default") as owner:  # already the owner: nothing to switch
        assert owner == user
