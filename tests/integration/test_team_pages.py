"""The team-around-the-family pages, the team page and the confirmed moves (reopen, transfer)."""

from __future__ import annotations

import datetime as dt

import pytest

from families.models import Family, FamilyWorker, Notification, PartnerProfessional
from tests import factories as f

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_the_family_page_shows_the_team_around_the_family(client_for, keyworker, family):
    f.LeadProfessionalFactory(family=family, name="Priya Shah")
    f.StepDownFactory(family=family, occurred_on=dt.date(2016, 1, 4))
    page = text(client_for(keyworker).get(f"/families/{family.reference}/"))
    assert "Team around the family" in page
    assert "Priya Shah" in page and "Lead professional" in page
    assert "Early help (stepped down from children&#x27;s social care)" in page
    assert "Since 4 January 2016" in page


def test_a_team_manager_reallocates_through_the_page(
    client_for, team_manager, keyworker, other_keyworker, family
):
    client = client_for(team_manager)
    url = f"/families/{family.reference}/team/lead/"
    empty = client.post(url, {"keyworker": "", "reason": ""})
    assert "Select the new lead keyworker" in text(empty)
    assert "Enter why the lead keyworker is changing" in text(empty)
    response = client.post(url, {"keyworker": other_keyworker.pk, "reason": "Caseload"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.lead_keyworker == other_keyworker
    assert Notification.objects.filter(user=keyworker, family=family).exists()


def test_the_team_page_lists_the_unallocated_queue_and_allocates_from_it(
    client_for, team_manager, keyworker, team
):
    client = client_for(team_manager)
    client.post(
        "/families/create/",
        {
            "name": "Şahin",
            "identified_on_day": "6",
            "identified_on_month": "1",
            "identified_on_year": "2025",
        },
    )
    family = Family.objects.get(name="Şahin")
    page = text(client.get("/families/team/"))
    assert "Waiting for a lead keyworker" in page
    assert f"Şahin family ({family.reference})" in page
    response = client.post(
        f"/families/{family.reference}/team/lead/?from=team", {"keyworker": keyworker.pk}
    )
    assert response["Location"] == f"/families/team/?team={team.pk}"
    assert "No families are waiting for a lead keyworker" in text(client.get("/families/team/"))


def test_a_keyworker_has_no_team_page(client_for, keyworker):
    assert client_for(keyworker).get("/families/team/").status_code == 403


def test_reopen_asks_for_confirmation_first(client_for, team_manager, family):
    family.status, family.closed_on, family.closure_reason = (
        "closed",
        dt.date(2016, 1, 1),
        "moved_away",
    )
    family.save()
    client = client_for(team_manager)
    url = f"/families/{family.reference}/reopen/"
    assert "Enter why the case is reopening" in text(client.post(url, {"reason": ""}))
    confirm = client.post(url, {"reason": "They moved back."})
    assert "Confirm and reopen the case" in text(confirm)
    family.refresh_from_db()
    assert family.status == "closed"  # nothing changes until confirmed
    done = client.post(url, {"reason": "They moved back.", "confirm": "yes"})
    assert done.status_code == 302
    family.refresh_from_db()
    assert family.status == "attached"


def test_transfer_asks_for_confirmation_and_says_the_family_will_be_unallocated(
    client_for, team_manager, other_team, family
):
    client = client_for(team_manager)
    url = f"/families/{family.reference}/transfer/"
    confirm = text(client.post(url, {"team": other_team.pk, "reason": "Moved to Banbury"}))
    assert "unallocated queue" in confirm and "it leaves" in confirm
    family.refresh_from_db()
    assert family.team.name == "North keywork team"
    done = client.post(url, {"team": other_team.pk, "reason": "Moved", "confirm": "yes"})
    # The family has left the team manager's team, so they go back to their caseload.
    assert done["Location"] == "/families/"
    family.refresh_from_db()
    assert (family.team, family.lead_keyworker) == (other_team, None)


def test_name_and_remove_a_worker_through_the_pages(client_for, team_manager, team, family):
    worker = f.KeyworkerFactory(team=team)
    client = client_for(team_manager)
    client.post(f"/families/{family.reference}/team/workers/add/", {"user": worker.pk})
    assert FamilyWorker.objects.filter(family=family, user=worker).exists()
    url = f"/families/{family.reference}/team/workers/{worker.pk}/remove/"
    assert "Remove worker" in text(client.get(url))
    client.post(url, {"confirm": "yes"})
    assert not FamilyWorker.objects.filter(family=family, user=worker).exists()


def test_add_a_partner_shows_every_error_then_saves(client_for, keyworker, family):
    client = client_for(keyworker)
    url = f"/families/{family.reference}/team/partners/add/"
    page = text(client.post(url, {"email": "nope"}))
    for message in (
        "Enter the professional&#x27;s name",
        "Enter the organisation they work for",
        "Select the kind of agency",
        "Enter the date they joined",
    ):
        assert message in page
    client.post(
        url,
        {
            "name": "PC Dean",
            "organisation": "Thames Valley Police",
            "agency": "police",
            "from_date_day": "1",
            "from_date_month": "6",
            "from_date_year": "2015",
        },
    )
    assert PartnerProfessional.objects.get(family=family).organisation == "Thames Valley Police"


def test_record_a_step_up_through_the_page(client_for, team_manager, family):
    client = client_for(team_manager)
    client.post(
        f"/families/{family.reference}/step/",
        {
            "direction": "up",
            "occurred_on_day": "1",
            "occurred_on_month": "9",
            "occurred_on_year": "2015",
            "reason": "Section 47 enquiry",
        },
    )
    page = text(client.get(f"/families/{family.reference}/team/"))
    assert "Children&#x27;s social care (stepped up), since 1 September 2015" in page
