"""Who may see what, beyond the route walk: field-level rules, scoped claim events, error
messages that keep other families' records hidden, the access log and the auditor's page
(docs/security.md, "Who may see what")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from claims import selectors as claim_selectors
from claims import services as claim_services
from claims.tariffs import ensure_national_tariffs
from families import services
from families.models import AccessLog, Family
from tests import factories as f
from tests.factories.claims import CLAIM_DATE
from tests.integration.test_family_pages import error_summary, member_data, text, valid_upn

pytestmark = pytest.mark.django_db

NOTE = "Mum said the school run is hard since the baby arrived."


# --- a data officer sees identifiers and evidence, not case notes ------------------------------


@pytest.fixture
def noted(family, keyworker):
    """The family with a note (and a file on it) written after its last intervention."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    f.InterventionFactory(family=family, start_date=dt.date(2015, 5, 1))
    return services.case_note_add(
        actor=keyworker,
        family=family,
        text=NOTE,
        occurred_on=dt.date(2015, 9, 14),
        files=[SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%\n", content_type="application/pdf")],
    )


def test_a_data_officer_reads_the_family_but_no_case_note_anywhere(
    client_for, api_for, data_officer, family, noted
):
    client, api = client_for(data_officer), api_for(data_officer)
    page = client.get(f"/families/{family.reference}/")
    assert page.status_code == 200
    words = text(page)
    assert "Jane Smith" in words  # the family's people: yes
    assert NOTE not in words and "Case notes and files" not in words
    assert 'value="note"' not in page.content.decode()  # no "case note" type in the filter
    assert "14 September 2015" not in words  # last contact is the intervention, not the note
    assert "1 May 2015" in words
    assert client.get(f"/families/{family.reference}/notes/").status_code == 403
    file = noted.files.get()
    url = f"/families/{family.reference}/notes/{noted.pk}/files/{file.pk}/"
    assert client.get(url).status_code == 403
    assert api.get("/api/v1/notes/").status_code == 403
    assert api.get(f"/api/v1/notes/{noted.pk}/").status_code == 403
    assert api.get(f"/api/v1/families/{family.reference}/notes/").status_code == 403
    assert api.get(f"/api/v1/families/{family.reference}/members/").status_code == 200


def test_an_auditor_still_reads_the_note_and_its_date(client_for, auditor, family, noted):
    words = text(client_for(auditor).get(f"/families/{family.reference}/"))
    assert NOTE in words and "14 September 2015" in words


# --- claim events: a team manager sees their team's families' only -----------------------------


@pytest.fixture
def mixed_batch(team, keyworker, other_team):
    ensure_national_tariffs()
    ours = f.ClaimableFamilyFactory(
        reference="F-980001", lead_keyworker=keyworker, evaluated_on=CLAIM_DATE
    )
    theirs = f.ClaimableFamilyFactory(
        reference="F-980002",
        name="Elsewhere",
        lead_keyworker=f.KeyworkerFactory(team=other_team),
        evaluated_on=CLAIM_DATE,
    )
    preparer = f.ProgrammeManagerFactory()
    batch = claim_services.claim_batch_create(actor=preparer, as_of=CLAIM_DATE)
    for family in (ours, theirs):
        claim_services.claim_add(
            actor=preparer, batch=batch, family=family, claim_type="attachment"
        )
    return batch, ours, theirs


def test_a_team_manager_sees_the_batch_and_their_familys_claim_events_only(
    client_for, api_for, team_manager, programme_manager, mixed_batch
):
    batch, ours, theirs = mixed_batch
    mine = {
        e.claim.family.reference if e.claim_id else None
        for e in claim_selectors.batch_events(user=team_manager, batch=batch)
    }
    assert mine == {None, ours.reference}  # the batch's own events, and our family's claim
    every = {
        e.claim.family.reference if e.claim_id else None
        for e in claim_selectors.batch_events(user=programme_manager, batch=batch)
    }
    assert every == {None, ours.reference, theirs.reference}
    page = client_for(team_manager).get(reverse("claims:batch_detail", args=[batch.reference]))
    assert ours.reference in page.content.decode()
    assert theirs.reference not in page.content.decode()
    api = api_for(team_manager).get(f"/api/v1/claim-batches/{batch.reference}/events/")
    assert theirs.reference not in api.content.decode()
    assert ours.reference in api.content.decode()


# --- error messages never reveal a record outside the user's scope ----------------------------


@pytest.fixture
def elsewhere(other_team):
    """A person in another team's family, with a UPN and an NI number."""
    family = f.AttachedFamilyFactory(
        reference="F-980009", name="Hidden", lead_keyworker=f.KeyworkerFactory(team=other_team)
    )
    person = f.PersonFactory(
        first_name="Zara", last_name="Hidden", upn=valid_upn(), ni_number="AB123456C"
    )
    f.MembershipFactory(family=family, person=person)
    return person


def test_a_duplicate_upn_or_ni_number_names_nobody(
    client_for, api_for, keyworker, family, elsewhere
):
    page = client_for(keyworker).post(
        f"/families/{family.reference}/members/add/",
        member_data(role="adult", ni_number="AB 12 34 56 C"),
    )
    assert not family.memberships.filter(person__first_name="Amira").exists()
    summary = error_summary(page)
    assert "Another person already has this UPN" in summary
    assert "Another person already has this National Insurance number" in summary
    for secret in ("Zara", "Hidden", "F-980009", elsewhere.reference):
        assert secret not in page.content.decode()
    api = api_for(keyworker).post(
        "/api/v1/members/",
        {
            "family": family.reference,
            "first_name": "Amira",
            "last_name": "Smith",
            "role": "adult",
            "start_date": "2015-04-01",
            "upn": valid_upn(),
            "ni_number": "AB123456C",
        },
        format="json",
    )
    assert api.status_code == 400
    assert set(api.json()) >= {"upn", "ni_number"}
    for secret in ("Zara", "Hidden", "F-980009", elsewhere.reference):
        assert secret not in api.content.decode()


# --- the access log: one row per family shown, none for a refusal --------------------------------


def test_lists_log_the_families_they_showed_and_refusals_log_nothing(
    client_for, api_for, keyworker, other_keyworker, family, other_family
):
    client_for(keyworker).get("/families/?q=Smith")
    assert list(AccessLog.objects.values_list("family__reference", "action", "via")) == [
        (family.reference, "listed families", "page")
    ]
    AccessLog.objects.all().delete()
    assert client_for(other_keyworker).get(f"/families/{family.reference}/").status_code == 404
    assert api_for(other_keyworker).get(f"/api/v1/families/{family.reference}/").status_code == 404
    assert not AccessLog.objects.exists()


def test_the_admin_logs_the_families_behind_what_it_shows(client_for, administrator, family):
    client = client_for(administrator)
    person = family.memberships.first().person
    client.get(reverse("admin:families_person_change", args=[person.pk]))
    client.get(reverse("admin:families_family_changelist"))
    client.get(reverse("admin:families_family_history", args=[family.pk]))
    rows = list(
        AccessLog.objects.filter(user=administrator).order_by("pk").values_list("family", "action")
    )
    assert rows == [
        (family.pk, "admin: families_person_change"),
        (family.pk, "admin: families_family_changelist"),
        (family.pk, "admin: families_family_history"),
    ]


# --- the auditor's page: who saw and who changed the record ------------------------------------


def access_url(family: Family, query: str = "") -> str:
    return f"/families/{family.reference}/access/{query}"


@pytest.fixture
def history(family, keyworker, auditor, client_for):
    """The keyworker reads the family page and writes a note; then the auditor reads it."""
    client_for(keyworker).get(f"/families/{family.reference}/")
    services.case_note_add(actor=keyworker, family=family, text="Called mum.")
    client_for(auditor).get(f"/families/{family.reference}/team/")
    return family


def test_the_auditor_sees_who_saw_and_changed_the_record_newest_first(
    client_for, auditor, keyworker, history
):
    response = client_for(auditor).get(access_url(history))
    assert response.status_code == 200
    page = text(response).split("What they did")[-1]  # the table, after the filters
    reads = page.index("viewed team around the family")
    note = page.index("Case note")
    first_read = page.index("viewed family page")
    assert reads < note < first_read  # newest first
    assert keyworker.display_name in page and auditor.display_name in page
    assert "Changed the record" in page and "Saw the record" in page


def test_the_auditors_filters_by_who_and_by_kind(client_for, auditor, keyworker, history):
    client = client_for(auditor)
    theirs = text(client.get(access_url(history, f"?who={keyworker.pk}")))
    assert "viewed family page" in theirs and "viewed team around the family" not in theirs
    changes = text(client.get(access_url(history, "?kind=change")))
    assert "Case note" in changes and "viewed family page" not in changes
    reads = text(client.get(access_url(history, "?kind=read")))
    assert "viewed family page" in reads and "Case note 1: added" not in reads


@pytest.mark.parametrize(
    ("role", "status", "linked"),
    [
        ("auditor", 200, True),
        ("programme_manager", 200, True),
        ("keyworker", 403, False),
        ("team_manager", 403, False),
        ("data_officer", 403, False),
        ("administrator", 403, False),
        ("other_team_manager", 404, False),
    ],
)
def test_who_opens_the_auditors_page_and_sees_its_link(
    request, client_for, family, role, status, linked
):
    client = client_for(request.getfixturevalue(role))
    assert client.get(access_url(family)).status_code == status
    page = client.get(f"/families/{family.reference}/").content.decode()
    assert (access_url(family) in page) is linked


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_auditors_page_costs_the_same_whatever_the_history(
    client_for, auditor, keyworker, family
):
    client = client_for(auditor)
    reader = client_for(keyworker)
    reader.get(f"/families/{family.reference}/")
    services.case_note_add(actor=keyworker, family=family, text="One")
    small = _queries(client, access_url(family))
    for i in range(30):
        reader.get(f"/families/{family.reference}/team/")
        services.case_note_add(actor=keyworker, family=family, text=f"Note {i}")
        f.MembershipFactory(family=family)
    big = _queries(client, access_url(family))
    assert big == small
    assert 'aria-label="Page 2"' in client.get(access_url(family)).content.decode()  # paged
