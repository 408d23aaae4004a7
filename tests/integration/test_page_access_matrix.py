"""Who may open which family page: every role against every page, from one table.

The family under test is the lead keyworker's (`keyworker`, North team), at the identified
step so that every page, attach included, applies to it. 200 = the page opens; 403 = the
user can see the family but their role may not do this; 404 = the family is outside
their caseload or team, so for them it does not exist.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from families.models import CaseNote, FamilyWorker
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "caseload": "/families/",
    "create": "/families/create/",
    "detail": "/families/{ref}/",
    "member_add": "/families/{ref}/members/add/",
    "membership_end": "/families/{ref}/members/{membership}/end/",
    "intervention_add": "/families/{ref}/interventions/add/",
    "intervention_end": "/families/{ref}/interventions/{intervention}/end/",
    "note_add": "/families/{ref}/notes/add/",
    "consent_add": "/families/{ref}/consent/add/",
    "attach": "/families/{ref}/attach/",
    "close": "/families/{ref}/close/",
    "team_around": "/families/{ref}/team/",
    "notes": "/families/{ref}/notes/",
    "partner_add": "/families/{ref}/team/partners/add/",
    "partner_end": "/families/{ref}/team/partners/{partner}/end/",
    "reallocate": "/families/{ref}/team/lead/",
    "worker_add": "/families/{ref}/team/workers/add/",
    "step_change": "/families/{ref}/step/",
    "transfer": "/families/{ref}/transfer/",
    "team": "/families/team/",
}

EDIT_PAGES = [
    "member_add",
    "membership_end",
    "intervention_add",
    "intervention_end",
    "note_add",
    "consent_add",
    "partner_add",
    "partner_end",
]
MANAGE_PAGES = ["attach", "close", "reallocate", "worker_add", "step_change", "transfer"]
READ_PAGES = ["detail", "team_around", "notes"]
FAMILY_PAGES = [*READ_PAGES, *EDIT_PAGES, *MANAGE_PAGES]


def row(caseload, create, detail, edit, manage, team=403):
    return {
        "caseload": caseload,
        "create": create,
        **dict.fromkeys(READ_PAGES, detail),
        **dict.fromkeys(EDIT_PAGES, edit),
        **dict.fromkeys(MANAGE_PAGES, manage),
        "team": team,  # the team page: their own team, or any for programme-wide roles
    }


# role fixture → expected status per page (the caseload always opens: it shows what they may see)
MATRIX = {
    "keyworker": row(200, 403, 200, 200, 403),  # the lead keyworker
    "named_worker": row(200, 403, 200, 200, 403),  # named on the family, same team
    "other_keyworker": row(200, 403, 404, 404, 404),  # keyworker A vs keyworker B's family
    "team_manager": row(200, 200, 200, 200, 200, team=200),
    "other_team_manager": row(200, 200, 404, 404, 404, team=200),
    "programme_manager": row(200, 200, 200, 200, 200, team=200),
    "auditor": row(200, 403, 200, 403, 403, team=200),
    "data_officer": row(200, 403, 200, 403, 403, team=200),
    "administrator": row(200, 403, 200, 403, 403, team=200),
}

# A data officer sees the family's identifiers and evidence, not its case notes.
MATRIX["data_officer"]["notes"] = 403

# The home page: keyworkers and team managers see what needs doing; the others are sent on to
# the caseload (302), where their work starts.
for role, expected in MATRIX.items():
    expected["home"] = (
        200
        if role
        in {"keyworker", "named_worker", "other_keyworker", "team_manager", "other_team_manager"}
        else 302
    )

CASES = [(role, page, expected[page]) for role, expected in MATRIX.items() for page in PAGES]


@pytest.fixture
def subject(keyworker):
    family = f.FamilyFactory(reference="F-940001", name="Patel", lead_keyworker=keyworker)
    membership = f.MembershipFactory(family=family)
    intervention = f.InterventionFactory(family=family)
    f.PartnerProfessionalFactory(family=family, pk=940001)
    return family, membership, intervention


@pytest.fixture
def named_worker(team, subject):
    worker = f.KeyworkerFactory(username="kw_named", team=team)
    FamilyWorker.objects.create(family=subject[0], user=worker)
    return worker


def url_for(page, subject):
    family, membership, intervention = subject
    return PAGES[page].format(
        ref=family.reference,
        membership=membership.pk,
        intervention=intervention.pk,
        partner=940001,
    )


@pytest.mark.parametrize("role, page, expected", CASES, ids=[f"{r}-{p}" for r, p, _ in CASES])
def test_role_page_matrix(request, client_for, subject, role, page, expected):
    user = request.getfixturevalue(role)
    response = client_for(user).get(url_for(page, subject))
    assert response.status_code == expected


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_users_are_sent_to_sign_in(subject, page):
    url = url_for(page, subject)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("role", ["auditor", "data_officer", "administrator"])
def test_read_only_roles_cannot_post_a_note_either(request, client_for, subject, role):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        url_for("note_add", subject),
        {
            "occurred_on_day": "1",
            "occurred_on_month": "2",
            "occurred_on_year": "2016",
            "text": "Seen.",
        },
    )
    assert response.status_code == 403
    assert not CaseNote.objects.exists()


def test_a_keyworker_cannot_post_to_another_keyworkers_family(client_for, other_keyworker, subject):
    response = client_for(other_keyworker).post(
        url_for("note_add", subject),
        {
            "occurred_on_day": "1",
            "occurred_on_month": "2",
            "occurred_on_year": "2016",
            "text": "Seen.",
        },
    )
    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_closed_family_forms_are_refused_even_to_its_keyworker(client_for, keyworker, subject):
    family = subject[0]
    family.status, family.closed_on, family.closure_reason = (
        "closed",
        dt.date(2016, 1, 1),
        "moved_away",
    )
    family.save()
    assert client_for(keyworker).get(url_for("detail", subject)).status_code == 200
    for page in EDIT_PAGES:
        assert client_for(keyworker).get(url_for(page, subject)).status_code == 403, page


# --- the family plan (casework) ------------------------------------------------------------------

PLAN_PAGES = {
    "assessment": "/casework/families/{ref}/assessment/",
    "goal_add": "/casework/families/{ref}/goals/add/",
    "action_add": "/casework/families/{ref}/goals/{goal}/actions/add/",
    "action_done": "/casework/families/{ref}/actions/{action}/done/",
    "review_date": "/casework/families/{ref}/review-date/",
    "review_add": "/casework/families/{ref}/reviews/add/",
    "overdue": "/casework/overdue/",
}
PLAN_EDIT_PAGES = [page for page in PLAN_PAGES if page != "overdue"]


def plan_row(edit, overdue):
    return {**dict.fromkeys(PLAN_EDIT_PAGES, edit), "overdue": overdue}


# The plan's forms are for those who may change the family's record; the overdue page is for
# keyworkers (their caseload) and managers (their team, or all), not for read-only roles.
PLAN_MATRIX = {
    "keyworker": plan_row(200, 200),
    "named_worker": plan_row(200, 200),
    "other_keyworker": plan_row(404, 200),
    "team_manager": plan_row(200, 200),
    "other_team_manager": plan_row(404, 200),
    "programme_manager": plan_row(200, 200),
    "auditor": plan_row(403, 403),
    "data_officer": plan_row(403, 403),
    "administrator": plan_row(403, 403),
}
PLAN_CASES = [
    (role, page, expected[page]) for role, expected in PLAN_MATRIX.items() for page in PLAN_PAGES
]


@pytest.fixture
def plan_subject(subject):
    action = f.ActionFactory(goal=f.GoalFactory(plan=f.FamilyPlanFactory(family=subject[0])))
    return subject[0], action


def plan_url_for(page, plan_subject):
    family, action = plan_subject
    return PLAN_PAGES[page].format(ref=family.reference, goal=action.goal_id, action=action.pk)


@pytest.mark.parametrize(
    "role, page, expected", PLAN_CASES, ids=[f"{r}-{p}" for r, p, _ in PLAN_CASES]
)
def test_role_plan_page_matrix(request, client_for, plan_subject, role, page, expected):
    user = request.getfixturevalue(role)
    response = client_for(user).get(plan_url_for(page, plan_subject))
    assert response.status_code == expected


@pytest.mark.parametrize("page", list(PLAN_PAGES))
def test_anonymous_users_are_sent_to_sign_in_from_the_plan(plan_subject, page):
    response = Client().get(plan_url_for(page, plan_subject))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_closed_family_plan_forms_are_refused_even_to_its_keyworker(
    client_for, keyworker, plan_subject
):
    family = plan_subject[0]
    family.status, family.closed_on, family.closure_reason = (
        "closed",
        dt.date(2016, 1, 1),
        "moved_away",
    )
    family.save()
    for page in PLAN_EDIT_PAGES:
        assert client_for(keyworker).get(plan_url_for(page, plan_subject)).status_code == 403, page


def test_an_auditor_cannot_post_an_action_as_done(client_for, auditor, plan_subject):
    response = client_for(auditor).post(
        plan_url_for("action_done", plan_subject),
        {"done_on_day": "1", "done_on_month": "2", "done_on_year": "2016"},
    )
    assert response.status_code == 403
    plan_subject[1].refresh_from_db()
    assert plan_subject[1].done_on is None


@pytest.fixture
def closed_subject(team_manager, keyworker):
    family = f.FamilyFactory(reference="F-940009", name="Okafor", lead_keyworker=keyworker)
    family.status, family.closed_on, family.closure_reason = (
        "closed",
        dt.date(2016, 1, 1),
        "moved_away",
    )
    family.save()
    return family


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("keyworker", 403),
        ("team_manager", 200),
        ("other_team_manager", 404),
        ("programme_manager", 200),
        ("auditor", 403),
    ],
)
def test_who_may_open_the_reopen_page_of_a_closed_case(
    request, client_for, closed_subject, role, expected
):
    user = request.getfixturevalue(role)
    response = client_for(user).get(f"/families/{closed_subject.reference}/reopen/")
    assert response.status_code == expected


def test_an_open_case_has_no_reopen_page(client_for, team_manager, subject):
    assert (
        client_for(team_manager).get(f"/families/{subject[0].reference}/reopen/").status_code == 403
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("keyworker", 403), ("named_worker", 403), ("team_manager", 200), ("programme_manager", 200)],
)
def test_who_may_remove_a_named_worker(request, client_for, subject, named_worker, role, expected):
    user = request.getfixturevalue(role)
    url = f"/families/{subject[0].reference}/team/workers/{named_worker.pk}/remove/"
    assert client_for(user).get(url).status_code == expected


def test_a_programme_manager_opens_any_teams_page_and_a_team_manager_only_their_own(
    client_for, programme_manager, team_manager, other_team
):
    assert (
        client_for(programme_manager).get(f"/families/team/?team={other_team.pk}").status_code
        == 200
    )
    # A team manager always sees their own team, whatever team is asked for.
    page = client_for(team_manager).get(f"/families/team/?team={other_team.pk}").content.decode()
    assert "North keywork team" in page and "South keywork team" not in page
