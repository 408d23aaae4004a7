"""The retention schedule: each family anonymised whole on its expiry day (kept the day before),
claims kept through their audit period, unmatched partner rows expired, the access log kept, and
a dry run that changes nothing."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from claims.digests import snapshot_verifies
from claims.models import Claim, EvidenceSnapshot
from families.models import AccessLog, CaseNote, Family, FamilyEvent, Membership, Person
from families.services import system_actor
from outcomes.models import Evaluation
from privacy.models import Anonymisation
from privacy.services import REMOVED, retention_apply
from privacy.tasks import nightly_retention
from referrals.models import ImportFile, ImportRow
from tests import factories as f
from tests.factories.referrals import attendance_row, csv_text

pytestmark = pytest.mark.django_db

CLOSED = date(2016, 12, 1)
EXPIRES = date(2023, 12, 1)  # 7 years after closure
DAY_BEFORE = EXPIRES - timedelta(days=1)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def rules(settings):
    settings.PRIVACY_RETENTION = {
        "closed_case_years": 7,
        "child_until_age": 0,
        "never_attached_years": 1,
        "unmatched_row_years": 1,
        "claim_audit_years": 7,
    }
    return settings.PRIVACY_RETENTION


@pytest.fixture
def closed(keyworker):
    family = f.ClosedFamilyWithHistoryFactory(
        reference="F-910001",
        name="Baker",
        postcode="OX4 1AB",
        lead_keyworker=keyworker,
        closed_on=CLOSED,
    )
    adult = f.PersonFactory(first_name="Ann", last_name="Baker", ni_number="QQ123456C")
    f.MembershipFactory(family=family, person=adult, relationship="Mother")
    f.ChildMembershipFactory(
        family=family, person=f.ChildFactory(first_name="Ben", last_name="Baker")
    )
    f.CaseNoteFactory(family=family, text="Ann talked about the rent arrears.")
    f.SchoolAttendanceFactory(person=adult, absent_sessions=4)
    return family


def _state(family):
    return (
        Family.objects.get(pk=family.pk).name,
        sorted(
            Person.objects.filter(memberships__family=family).values_list("first_name", flat=True)
        ),
        list(CaseNote.objects.filter(family=family).values_list("text", flat=True)),
    )


def test_kept_the_day_before_and_anonymised_on_the_expiry_day(closed):
    before = _state(closed)
    report = retention_apply(actor=system_actor(), today=DAY_BEFORE)
    assert report.families == [] and _state(closed) == before

    report = retention_apply(actor=system_actor(), today=EXPIRES)
    assert [(e.reference, e.expires_on) for e in report.families] == [("F-910001", EXPIRES)]
    assert report.people == 2
    family = Family.objects.get(pk=closed.pk)
    assert (family.name, family.address, family.postcode) == ("Anonymised", "", "OX4")
    ann = Person.objects.get(memberships__family=family, memberships__role=Membership.Role.ADULT)
    assert (ann.first_name, ann.ni_number, ann.date_of_birth) == (
        "Anonymised",
        "",
        date(1985, 1, 1),
    )
    assert list(CaseNote.objects.filter(family=family).values_list("text", flat=True)) == [REMOVED]
    # Earlier versions in the row history are anonymised too.
    assert set(ann.history.values_list("first_name", flat=True)) == {"Anonymised"}
    assert set(Family.history.filter(id=family.pk).values_list("name", flat=True)) == {"Anonymised"}
    # The counts stay: the family, its two members, their roles, the dates and the evidence.
    assert Membership.objects.filter(family=family).count() == 2
    assert (family.status, family.attached_on, family.closed_on) == (
        "closed",
        date(2015, 5, 1),
        CLOSED,
    )
    assert ann.evidence.count() == 1
    assert FamilyEvent.objects.filter(family=family, kind=FamilyEvent.Kind.ANONYMISED).count() == 1
    assert Anonymisation.objects.get(family=family).expired_on == EXPIRES


def test_running_again_changes_nothing_more(closed):
    retention_apply(actor=system_actor(), today=EXPIRES)
    again = retention_apply(actor=system_actor(), today=EXPIRES + timedelta(days=1))
    assert again.families == []
    assert Anonymisation.objects.count() == 1


def test_a_dry_run_changes_nothing(closed):
    before = _state(closed)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--as-of", EXPIRES.isoformat(), stdout=out)
    assert "Would anonymise 1 families" in out.getvalue()
    assert "F-910001: expired 2023-12-01" in out.getvalue()
    assert _state(closed) == before
    assert not Anonymisation.objects.exists()


def test_the_command_anonymises(closed):
    out = io.StringIO()
    call_command("apply_retention", "--as-of", EXPIRES.isoformat(), stdout=out)
    assert "Anonymised 1 families" in out.getvalue()
    assert Family.objects.get(pk=closed.pk).name == "Anonymised"


def test_an_open_case_and_a_member_of_one_are_kept(closed, family):
    ann, ben = Person.objects.get(first_name="Ann"), Person.objects.get(first_name="Ben")
    f.MembershipFactory(family=family, person=ann)
    retention_apply(actor=system_actor(), today=EXPIRES)
    # Ann is also in an open family: she keeps her name there; Ben belongs to no kept family.
    assert Person.objects.get(pk=ann.pk).first_name == "Ann"
    assert Person.objects.get(pk=ben.pk).first_name == "Anonymised"
    assert Family.objects.get(pk=closed.pk).name == "Anonymised"
    assert Family.objects.get(pk=family.pk).name == "Smith"


def test_claim_evidence_is_kept_through_its_audit_period(rules):
    rules["closed_case_years"] = 1  # the claim's audit period (7 years from payment) decides
    f.PaidClaimBatchFactory(claimable=1)
    claim = Claim.objects.get(claim_type="results")
    family = claim.family
    assert family.status == Family.Status.CLOSED
    paid_on = claim.batch.paid_on
    ends = paid_on.replace(year=paid_on.year + 7)
    names = sorted(
        Person.objects.filter(memberships__family=family).values_list("last_name", flat=True)
    )

    report = retention_apply(actor=system_actor(), today=ends - timedelta(days=1))
    assert report.families == [] and report.kept_for_claims == [family.reference]
    assert (
        sorted(
            Person.objects.filter(memberships__family=family).values_list("last_name", flat=True)
        )
        == names
    )

    retention_apply(actor=system_actor(), today=ends)
    assert Family.objects.get(pk=family.pk).name == "Anonymised"
    # Stored evaluations no longer name the members.
    for evaluation in Evaluation.objects.filter(family=family):
        text = json.dumps(evaluation.result)
        found = [
            (n, text[max(0, text.find(n) - 120) : text.find(n) + 40]) for n in names if n in text
        ]
        assert not found
    # The claims and their frozen evidence stay, and still verify.
    assert Claim.objects.filter(family=family).count() == 2
    assert all(snapshot_verifies(s) for s in EvidenceSnapshot.objects.filter(claim__family=family))


def test_access_log_entries_are_kept_they_are_chained(family, keyworker):
    entry = AccessLog.objects.create(user=keyworker, family=family, via="page", action="Viewed")
    AccessLog.objects.filter(pk=entry.pk).update(at=datetime(2014, 12, 4, 12, tzinfo=LONDON))
    retention_apply(actor=system_actor(), today=date(2026, 12, 4))
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_unmatched_partner_rows_lose_their_details_after_a_year():
    stranger = f.ChildFactory.build(reference="P-966666")
    for imported in (date(2025, 12, 4), date(2025, 12, 5)):
        stored = f.ImportFileFactory(
            content=csv_text([attendance_row(stranger)]), filename=f"{imported}.csv"
        )
        ImportFile.objects.filter(pk=stored.pk).update(
            created_at=datetime(imported.year, imported.month, imported.day, 9, tzinfo=LONDON)
        )
    report = retention_apply(actor=system_actor(), today=date(2026, 12, 4))
    assert report.unmatched_rows == 1
    rows = {r.file.filename: r for r in ImportRow.objects.select_related("file")}
    assert rows["2025-12-04.csv"].status == ImportRow.Status.EXPIRED
    assert rows["2025-12-04.csv"].raw == {"removed": REMOVED}
    assert rows["2025-12-05.csv"].status == ImportRow.Status.UNMATCHED
    assert rows["2025-12-05.csv"].raw["person_ref"] == "P-966666"


def test_the_nightly_task_applies_the_schedule(keyworker):
    family = f.ClosedFamilyWithHistoryFactory(
        lead_keyworker=keyworker,
        closed_on=date(2010, 1, 4),
        attached_on=date(2009, 5, 1),
        identified_on=date(2009, 4, 1),
    )
    assert nightly_retention()["families"] == 1
    assert Family.objects.get(pk=family.pk).name == "Anonymised"


def test_a_family_that_fails_is_left_whole_and_the_others_go_on(closed, keyworker, monkeypatch):
    other = f.ClosedFamilyWithHistoryFactory(
        reference="F-910002", lead_keyworker=keyworker, closed_on=CLOSED
    )
    import privacy.services as privacy_services

    real = privacy_services._anonymise_people

    def fail_for_baker(people):
        real(people)
        if any(m.family_id == closed.pk for p in people for m in p.memberships.all()):
            raise RuntimeError("disk full")

    monkeypatch.setattr(privacy_services, "_anonymise_people", fail_for_baker)
    before = _state(closed)
    report = retention_apply(actor=system_actor(), today=EXPIRES)
    assert report.failed == ["F-910001"]
    assert _state(closed) == before
    assert [e.reference for e in report.families] == ["F-910002"]
    assert Family.objects.get(pk=other.pk).name == "Anonymised"


def test_an_anonymised_case_cannot_be_reopened(closed, programme_manager):
    from django.core.exceptions import PermissionDenied

    from families.services import family_reopen

    retention_apply(actor=system_actor(), today=EXPIRES)
    with pytest.raises(PermissionDenied, match="anonymised under the retention schedule"):
        family_reopen(
            actor=programme_manager,
            family=Family.objects.get(pk=closed.pk),
            reason="The family asked for help again",
        )


def test_beat_runs_the_retention_job_every_night():
    from config.celery_app import app

    entry = app.conf.beat_schedule["nightly-retention"]
    assert entry["task"] == nightly_retention.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
