"""The hash chain over the audit trail: an intact chain verifies; a row changed or deleted
behind the service's back (as the owner, bypassing the application's role) is reported at the
right entry; the nightly task tells administrators."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from families.models import AccessLog, AuditChainLink, Notification
from families.services import access_log_record
from families.services.audit_chain import audit_chain_verify
from families.tasks import verify_audit_chain
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(auditor):
    families = [f.FamilyFactory() for _ in range(3)]
    access_log_record(user=auditor, families=families, via="page", action="view family")
    return list(AccessLog.objects.order_by("id"))


def link_of(row):
    return AuditChainLink.objects.get(source="families_accesslog", source_id=row.pk)


def test_an_intact_chain_verifies_every_entry(logged, capsys):
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == AuditChainLink.objects.count() > len(logged)
    call_command("verify_audit_chain")
    assert "OK:" in capsys.readouterr().out


def test_an_access_log_entry_changed_behind_the_service_is_reported_at_its_entry(logged):
    tampered = logged[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE families_accesslog SET action = 'nothing' WHERE id = %s", [tampered.pk]
        )
    broken = audit_chain_verify().broken
    assert broken.source == "families_accesslog"
    assert broken.source_id == tampered.pk
    assert broken.position == link_of(tampered).position
    assert broken.problem == "the audited row was changed"
    with pytest.raises(CommandError, match=f"families_accesslog id {tampered.pk}"):
        call_command("verify_audit_chain")


def test_a_deleted_access_log_entry_is_reported_at_its_entry(logged):
    removed = logged[0]
    position = link_of(removed).position
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM families_accesslog WHERE id = %s", [removed.pk])
    broken = audit_chain_verify().broken
    assert (broken.position, broken.source_id) == (position, removed.pk)
    assert broken.problem == "the audited row is missing"


def test_a_removed_chain_entry_is_reported_where_it_was(logged):
    link = link_of(logged[1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM families_auditchainlink WHERE id = %s", [link.pk])
    broken = audit_chain_verify().broken
    assert broken.position == link.position
    assert broken.problem == "the entry is missing"


def test_a_chain_whose_last_entry_was_cut_off_names_the_row_left_out(logged):
    link = link_of(logged[2])
    assert link.position == AuditChainLink.objects.order_by("-position").first().position
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM families_auditchainlink WHERE id = %s", [link.pk])
    broken = audit_chain_verify().broken
    assert (broken.source, broken.source_id) == ("families_accesslog", logged[2].pk)
    assert broken.problem == "the audited row is not in the chain"


def test_history_events_are_chained_too():
    family = f.FamilyFactory()
    assert AuditChainLink.objects.filter(source="families_familychange").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE families_familychange SET name = 'Altered' WHERE pgh_obj_id = %s", [family.pk]
        )
    assert audit_chain_verify().broken.source == "families_familychange"


def test_the_nightly_check_tells_administrators_of_a_break_and_only_then(logged, administrator):
    assert verify_audit_chain()["broken"] is None
    assert not Notification.objects.filter(kind=Notification.Kind.AUDIT_TRAIL_BROKEN).exists()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE families_accesslog SET path = '/x' WHERE id = %s", [logged[0].pk])
    assert verify_audit_chain()["broken"]
    verify_audit_chain()  # a second check the same day does not tell them twice
    told = Notification.objects.get(kind=Notification.Kind.AUDIT_TRAIL_BROKEN)
    assert told.user == administrator
    assert f"families_accesslog id {logged[0].pk}" in told.message


def test_beat_runs_the_check_every_night():
    from config.celery_app import app

    entry = app.conf.beat_schedule["nightly-audit-chain"]
    assert entry["task"] == verify_audit_chain.name == "families.tasks.verify_audit_chain"
