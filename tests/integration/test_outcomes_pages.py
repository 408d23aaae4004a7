"""The outcomes pages as users see them: the family page's panel, near misses, the plans pages
(review, upload, activate, what-if), who may open each, and query counts that do not grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.services import system_actor
from outcomes.models import PlanActivation, PlanVersion
from outcomes.selectors.plans import plan_in_force
from outcomes.services.evaluations import families_evaluate
from tests.factories import (
    activate,
    attendance,
    household,
    oxfordshire_family,
    record,
    supporting_families_family,
    worcestershire_family,
)

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def family_page(client, family, as_of=None):
    url = f"/families/{family.reference}/" + (f"?as_of={as_of}" if as_of else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the family page's outcomes panel ---------------------------------------------------------------


def test_panel_shows_status_why_evidence_and_when(client_for, keyworker):
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family(keyworker=keyworker)
    html = family_page(client_for(keyworker), family, "2016-09-30")
    assert "Oxfordshire Thriving Families phase 2 outcomes plan" in html
    assert "Children who have not been attending school regularly" in html
    assert 'govuk-tag--green">Met' in html
    assert "Met since 22 July 2016" in html
    assert "attendance 95.0% in summer 2015/16" in html  # the evidence it used
    assert "Claimable" in html


def test_panel_counts_down_to_sustained(client_for, keyworker):
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family(keyworker=keyworker)
    html = family_page(client_for(keyworker), family, "2016-05-01")
    assert "Progressing" in html
    assert "met on 22 july 2016 if it holds" in html.lower()
    assert "Not claimable yet" in html


def test_panel_says_each_reason_once(client_for, keyworker):
    """An identified family not yet attached: every measure waits on attachment, said once."""
    from families.models import Family

    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family(keyworker=keyworker)
    Family.objects.filter(pk=family.pk).update(status="identified", attached_on=None)
    adult = family.memberships.get(role="adult").person
    record("benefit_spells", person=adult, benefit="ESA", start_date="2014-01-01")
    html = family_page(client_for(keyworker), family, "2016-09-30")
    still_needed = html.split("Still needed for a results claim", 1)[1].split("</dd>", 1)[0]
    assert still_needed.count("Work with the family has not started") == 1


def test_panel_without_a_plan_in_force_says_so(client_for, keyworker, family):
    html = family_page(client_for(keyworker), family)
    assert "No outcomes plan is in force" in html


def test_panel_adds_a_constant_number_of_queries(client_for, keyworker):
    activate("oxfordshire-phase-2", "2015-04-01")
    small = oxfordshire_family("F-000501", keyworker=keyworker)
    large = oxfordshire_family("F-000502", keyworker=keyworker)
    for _ in range(4):  # more children, each with six terms of attendance
        child = household("F-000502", keyworker=keyworker)[2]
        attendance(child, 2014, [20, 20, 20, 5, 5, 5])
    for day in ("2015-01-05", "2015-02-05", "2015-03-05"):
        record("asb_incidents", family=large, incident_date=day)
    client = client_for(keyworker)
    family_page(client, small, "2016-09-30")
    with CaptureQueriesContext(connection) as few:
        family_page(client, small, "2016-09-30")
    with CaptureQueriesContext(connection) as many:
        family_page(client, large, "2016-09-30")
    assert len(few) == len(many)


# --- near misses --------------------------------------------------------------------------------


def test_near_miss_page_filters_by_keyworker_and_is_scoped(
    client_for, keyworker, other_keyworker, programme_manager
):
    activate("supporting-families-2022-example", "2022-04-01")
    mine = supporting_families_family("F-000401", keyworker=keyworker)
    theirs = supporting_families_family("F-000402", keyworker=other_keyworker)
    families_evaluate(actor=system_actor(), family_ids=[mine.pk, theirs.pk], as_of=D("2023-09-30"))
    html = client_for(keyworker).get("/outcomes/near-misses/").content.decode()
    assert "F-000401" in html and "F-000402" not in html
    html = client_for(programme_manager).get("/outcomes/near-misses/").content.decode()
    assert "F-000401" in html and "F-000402" in html
    html = (
        client_for(programme_manager)
        .get(f"/outcomes/near-misses/?keyworker={other_keyworker.pk}")
        .content.decode()
    )
    assert "F-000401" not in html and "F-000402" in html
    team = keyworker.team_id
    html = client_for(programme_manager).get(f"/outcomes/near-misses/?team={team}").content.decode()
    assert "F-000401" in html
    # Nonsense filters are ignored, not an error.
    assert (
        client_for(programme_manager)
        .get("/outcomes/near-misses/?keyworker=abc&team=-1")
        .status_code
        == 200
    )


def test_near_miss_page_queries_do_not_grow_with_families(client_for, programme_manager):
    activate("worcestershire-2015-16", "2015-04-01")
    first = [
        worcestershire_family(f"F-{700 + i:06d}", lead_worker_judgement=False) for i in range(3)
    ]
    families_evaluate(actor=system_actor(), family_ids=[f.pk for f in first], as_of=D("2016-09-30"))
    client = client_for(programme_manager)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/outcomes/near-misses/").content.decode().count("F-000") >= 3
    more = [
        worcestershire_family(f"F-{800 + i:06d}", lead_worker_judgement=False) for i in range(27)
    ]
    families_evaluate(actor=system_actor(), family_ids=[f.pk for f in more], as_of=D("2016-09-30"))
    with CaptureQueriesContext(connection) as many:
        html = client.get("/outcomes/near-misses/").content.decode()
    assert "30 families one measure away" in html
    assert len(few) == len(many)


# --- who may open which page -------------------------------------------------------------------------

PAGES = {
    "near_miss": "/outcomes/near-misses/",
    "plan_list": "/outcomes/plans/",
    "plan_detail": "/outcomes/plans/worcestershire-2015-16/2015-16-2/",
    "plan_upload": "/outcomes/plans/upload/",
    "plan_activate": "/outcomes/plans/worcestershire-2015-16/2015-16-2/activate/",
    "what_if": "/outcomes/plans/what-if/",
}
ALLOWED = {
    "near_miss": {"keyworker", "team_manager", "programme_manager"},
    "plan_list": {"administrator", "programme_manager", "auditor"},
    "plan_detail": {"administrator", "programme_manager", "auditor"},
    "plan_upload": {"administrator"},
    "plan_activate": {"administrator", "programme_manager"},
    "what_if": {"administrator", "programme_manager"},
}
ROLES = [
    "keyworker",
    "team_manager",
    "programme_manager",
    "auditor",
    "data_officer",
    "administrator",
]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_role_access_on_every_page(client_for, page, request):
    activate("worcestershire-2015-16", "2015-04-01")
    for role in ROLES:
        user = request.getfixturevalue(role)
        status = client_for(user).get(PAGES[page]).status_code
        assert status == (200 if role in ALLOWED[page] else 403), (page, role, status)


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/outcomes/plans/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- plans pages --------------------------------------------------------------------------------


def test_plan_review_page_reads_like_the_council_table(client_for, auditor):
    activate("oxfordshire-phase-2", "2015-04-01")
    html = client_for(auditor).get("/outcomes/plans/oxfordshire-phase-2/2015-2/").content.decode()
    assert "Family problem" in html and "Outcome measure" in html and "Period" in html
    assert "Children who have not been attending school regularly" in html
    assert "1 April 2015 to now" in html
    assert client_for(auditor).get("/outcomes/plans/oxfordshire-phase-2/9999/").status_code == 404


def test_plan_list_shows_versions_and_which_is_in_force(client_for, programme_manager):
    activate("worcestershire-2015-16", "2015-04-01")
    html = client_for(programme_manager).get("/outcomes/plans/").content.decode()
    assert (
        "In force today" in html
        and "Worcestershire Stronger Families outcomes plan 2015/16" in html
    )
    assert "National" in html  # every shipped plan is listed


def test_upload_errors_appear_in_an_error_summary_naming_the_place(client_for, administrator):
    activate("worcestershire-2015-16", "2015-04-01")
    text = PlanVersion.objects.get(slug="worcestershire-2015-16").yaml_text
    broken = text.replace('version: "2015-16-2"', 'version: "2"').replace(
        "min_problems: 2", "min_problems: lots"
    )
    upload = SimpleUploadedFile("plan.yaml", broken.encode(), content_type="application/x-yaml")
    response = client_for(administrator).post("/outcomes/plans/upload/", {"plan_file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "min_problems" in html
    assert not PlanVersion.objects.filter(version="2").exists()
    empty = client_for(administrator).post("/outcomes/plans/upload/", {}).content.decode()
    assert "Choose a plan file, or paste the plan" in empty


def test_administrator_uploads_reviews_and_activates_a_plan(client_for, administrator):
    activate("worcestershire-2015-16", "2015-04-01")
    text = PlanVersion.objects.get(slug="worcestershire-2015-16").yaml_text
    new = text.replace('version: "2015-16-2"', 'version: "2016-17"')
    response = client_for(administrator).post("/outcomes/plans/upload/", {"yaml_text": new})
    assert response.status_code == 302
    assert response["Location"] == "/outcomes/plans/worcestershire-2015-16/2016-17/"
    bad = client_for(administrator).post(
        "/outcomes/plans/worcestershire-2015-16/2016-17/activate/",
        {"effective_from_day": "31", "effective_from_month": "2", "effective_from_year": "2016"},
    )
    assert "govuk-error-summary" in bad.content.decode()
    form = {
        "effective_from_day": "1",
        "effective_from_month": "4",
        "effective_from_year": "2016",
        "note": "New year",
    }
    url = "/outcomes/plans/worcestershire-2015-16/2016-17/activate/"
    # First the page says what activating will do; nothing is activated yet.
    check = client_for(administrator).post(url, form)
    assert check.status_code == 200
    assert "Every evaluation on or after 1 April 2016 uses" in check.content.decode()
    assert not PlanActivation.objects.filter(note="New year").exists()
    response = client_for(administrator).post(url, {**form, "confirm": "yes"})
    assert response.status_code == 302
    assert plan_in_force(on=D("2016-04-01")).version == "2016-17"
    assert PlanActivation.objects.filter(activated_by=administrator, note="New year").exists()


def test_what_if_page_lists_families_whose_status_would_change(
    client_for, administrator, programme_manager
):
    worcs = activate("worcestershire-2015-16", "2015-04-01")
    strict_text = worcs.yaml_text.replace('version: "2015-16-2"', 'version: "strict"').replace(
        "value: 10}", "value: 5}"
    )
    client_for(administrator).post("/outcomes/plans/upload/", {"yaml_text": strict_text})
    strict = PlanVersion.objects.get(version="strict")
    worcestershire_family("F-000201", absence_after=8)
    worcestershire_family("F-000202", absence_after=3)
    html = (
        client_for(programme_manager)
        .get(
            "/outcomes/plans/what-if/",
            {
                "plan_a": worcs.pk,
                "plan_b": strict.pk,
                "as_of_day": "30",
                "as_of_month": "9",
                "as_of_year": "2016",
            },
        )
        .content.decode()
    )
    assert "1 family would change on 30 September 2016" in html
    assert "F-000201" in html and "F-000202" not in html
    same = (
        client_for(programme_manager)
        .get(
            "/outcomes/plans/what-if/",
            {
                "plan_a": worcs.pk,
                "plan_b": worcs.pk,
                "as_of_day": "30",
                "as_of_month": "9",
                "as_of_year": "2016",
            },
        )
        .content.decode()
    )
    assert "Choose a different plan to compare" in same
