"""Subject access exports: everything held about a person, as JSON and as a PDF; data officers
and administrators only; each export logged with its reason."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims.models import EvidenceSnapshot
from families import services
from families.models import AccessLog, Person
from privacy.models import SubjectAccessExport
from privacy.selectors import SENSITIVE_REVIEW, THIRD_PARTY_REVIEW, subject_access_record
from privacy.services import subject_access_export
from tests import factories as f
from tests.factories.referrals import attendance_row, csv_text

pytestmark = pytest.mark.django_db

REASON = "Request received by email on 1 December 2026 (ref SAR-42)"


def _url(person) -> str:
    return reverse("privacy:subject_access", args=[person.reference])


def _post(client, person, fmt="json"):
    return client.post(_url(person), {"reason": REASON, "format": fmt, "confirm": "on"})


@pytest.fixture
def tom(family, keyworker):
    """The Smith family's child with something of every kind held about him."""
    tom = Person.objects.get(first_name="Tom", memberships__family=family)
    f.SchoolAttendanceFactory(person=tom, absent_sessions=6)
    f.SchoolAttendanceFactory(person=tom, absent_sessions=30)  # a correction: version 2
    f.SensitiveCaseNoteFactory(family=family)
    note = f.CaseNoteFactory(family=family, text="Tom's school called about his attendance.")
    note.present.set([tom])
    f.InterventionFactory(family=family, notes="Weekly sessions with the school nurse")
    services.consent_record(
        actor=keyworker,
        family=family,
        given_by="Jane Smith",
        share_with=["schools"],
        given_on=date(2015, 5, 1),
        person=tom,
    )
    f.FamilyProblemFactory(family=family)
    f.ActionFactory(goal=f.GoalFactory(plan=f.FamilyPlanFactory(family=family)))
    f.StepChangeFactory(family=family)
    f.PartnerProfessionalFactory(family=family)
    f.ImportFileFactory(content=csv_text([attendance_row(tom, term="spring")]))
    services.access_log_record(user=keyworker, families=[family], via="page", action="Viewed")
    return tom


def test_the_json_holds_every_kind_of_record(tom, data_officer, client_for):
    response = _post(client_for(data_officer), tom)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    held = json.loads(response.content)
    assert held["person"]["first_name"] == "Tom"
    assert [f["reference"] for f in held["families"]] == ["F-900001"]
    assert held["families"][0]["other_members"] == ["Jane Smith"]
    summer = [e for e in held["evidence"] if e["details"]["term"] == "summer"]
    assert [(e["version"], e["current"]) for e in summer] == [(1, False), (2, True)]
    assert len(held["case_notes"]) == 2
    sensitive = next(n for n in held["case_notes"] if n["sensitive"])
    # Sensitive notes are in full, marked for review; every note of a family with other members
    # is marked for third-party review.
    assert "ex-partner" in sensitive["text"]
    assert sensitive["review_before_release"] == [SENSITIVE_REVIEW, THIRD_PARTY_REVIEW]
    present = next(n for n in held["case_notes"] if not n["sensitive"])
    assert present["this_person_was_present"] is True
    assert held["interventions"][0]["notes"] == "Weekly sessions with the school nurse"
    assert held["consents"][0]["covers"] == "Tom Smith"
    assert held["problems"][0]["problem"]
    assert held["partner_data_rows"][0]["as_received"]["term"] == "spring"
    assert [e["what"] for e in held["access_log"]][0] == "Viewed"
    assert held["plan"][0]["actions"] and held["steps"][0]["reason"]
    assert held["partner_professionals"][0]["name"]
    assert held["earlier_versions_of_the_person"][0]["first_name"] == "Tom"


def test_the_pdf_opens_and_names_the_person(tom, administrator, client_for):
    response = _post(client_for(administrator), tom, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Subject access export: Tom Smith" in text
    assert "ex-partner" in text
    assert "REVIEW" in text


def test_the_export_is_logged_with_its_reason(tom, family, data_officer, client_for):
    _post(client_for(data_officer), tom)
    export = SubjectAccessExport.objects.get()
    assert (export.person, export.prepared_by, export.reason) == (tom, data_officer, REASON)
    entry = AccessLog.objects.get(user=data_officer, via=AccessLog.Via.EXPORT)
    assert entry.family == family
    assert entry.action.startswith("Subject access export (JSON): Request received")
    # The page lists the exports already prepared, with their reasons.
    assert REASON in client_for(data_officer).get(_url(tom)).content.decode()


def test_the_form_asks_for_a_reason_and_a_confirmation(tom, data_officer, client_for):
    page = client_for(data_officer).post(_url(tom), {"reason": "", "format": "pdf"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Enter the reason for the export" in body
    assert "Confirm that the export answers a request you are handling" in body
    assert not SubjectAccessExport.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("keyworker", 403),
        ("team_manager", 403),
        ("programme_manager", 403),
        ("auditor", 403),
        ("data_officer", 200),
        ("administrator", 200),
    ],
)
def test_only_data_officers_and_administrators(family, role, status, request, client_for):
    tom = Person.objects.get(first_name="Tom")
    client = client_for(request.getfixturevalue(role))
    assert client.get(_url(tom)).status_code == status
    assert _post(client, tom).status_code == status


def test_an_unknown_person_is_not_found(data_officer, client_for):
    response = client_for(data_officer).get(reverse("privacy:subject_access", args=["P-NOPE"]))
    assert response.status_code == 404


def test_the_family_page_links_each_member_for_data_officers_only(
    family, data_officer, keyworker, client_for
):
    tom = Person.objects.get(first_name="Tom")
    detail = reverse("families:detail", args=[family.reference])
    assert _url(tom) in client_for(data_officer).get(detail).content.decode()
    assert _url(tom) not in client_for(keyworker).get(detail).content.decode()


def test_claims_that_cite_the_person(data_officer):
    snapshot = f.EvidenceSnapshotFactory()
    cited = next(e["person_id"] for e in snapshot.payload["evidence"] if e.get("person_id"))
    held = subject_access_record(person=Person.objects.get(pk=cited))
    assert [c["cites_this_person"] for c in held["claims"]] == [True]
    assert EvidenceSnapshot.objects.count() == 1


def test_the_export_takes_the_same_queries_whatever_is_held(
    tom, family, data_officer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            subject_access_export(actor=data_officer, person=tom, reason=REASON, format="json")
        return len(queries)

    before = count()
    f.CaseNoteFactory.create_batch(3, family=family)
    f.InterventionFactory.create_batch(2, family=family)
    f.SchoolAttendanceFactory(person=tom, term="autumn")
    assert count() == before


def test_the_page_takes_the_same_queries_for_more_families(family, data_officer, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tom = Person.objects.get(first_name="Tom")
    client = client_for(data_officer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(tom)).status_code == 200
        return len(queries)

    before = count()
    for reference in ("F-920001", "F-920002"):
        f.ChildMembershipFactory(family=f.AttachedFamilyFactory(reference=reference), person=tom)
    assert count() == before
    assert AccessLog.objects.filter(user=data_officer, via="page").count() == 1 + 3


def test_star_readings_are_in_the_export_where_the_service_records_them(tom, family, keyworker):
    from tests.factories.stars import FAMILY_STAR, star_reading

    star_reading(
        family=family, name=FAMILY_STAR, read_on=date(2015, 6, 1), scores=4, recorded_by=keyworker
    )
    held = subject_access_record(person=tom)
    assert held["star_readings"][0]["scores"]["Home and money"] == 4
