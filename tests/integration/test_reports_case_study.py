"""A family's case study page: figures from the family's evidence, its scope, the access log,
and a query count that does not grow with the evidence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from families.models import AccessLog
from tests import factories as f
from tests.factories.outcomes import record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Y = TODAY.year
ATTACHED = date(Y - 1, 1, 15)


def url(family) -> str:
    return f"/reports/families/{family.reference}/case-study/"


@pytest.fixture
def studied(keyworker):
    """Attached on 15 January last year, with a child at school and an adult out of work then."""
    family = f.AttachedFamilyFactory(
        reference="F-980001",
        name="Okafor",
        lead_keyworker=keyworker,
        team=keyworker.team,
        identified_on=date(Y - 1, 1, 2),
        attached_on=ATTACHED,
    )
    adult = f.PersonFactory(first_name="Ada", last_name="Okafor")
    child = f.ChildFactory(
        first_name="Obi", last_name="Okafor", date_of_birth=TODAY - timedelta(days=3650)
    )
    f.MembershipFactory(family=family, person=adult, start_date=date(Y - 3, 1, 1))
    f.ChildMembershipFactory(family=family, person=child, start_date=date(Y - 3, 1, 1))
    # The term under way at attachment (spring of the year before last's school year): 79.5%.
    f.SchoolAttendanceFactory(
        person=child, academic_year=f"{Y - 2}/{(Y - 1) % 100:02d}", term="spring",
        possible_sessions=200, absent_sessions=41,
    )  # fmt: skip
    # The latest term (autumn of last year): 93.5%.
    f.SchoolAttendanceFactory(
        person=child, academic_year=f"{Y - 1}/{Y % 100:02d}", term="autumn",
        possible_sessions=200, absent_sessions=13,
    )  # fmt: skip
    for day in (1, 8):
        record(
            "exclusions",
            person=child,
            start_date=f"{Y - 2}-06-{day:02d}",
            exclusion_type="fixed_term",
        )
    for day in (1, 8, 15, 22):
        record("offences", person=child, offence_date=f"{Y - 2}-07-{day:02d}")
    record("offences", person=child, offence_date=(TODAY - timedelta(days=10)).isoformat())
    f.DomesticAbuseCalloutFactory(family=family, callout_date=TODAY - timedelta(days=5))
    f.EmploymentSpellFactory(person=adult, start_date=TODAY - timedelta(days=30))
    return family


def test_the_case_study_shows_before_current_and_impact(client_for, keyworker, studied):
    response = client_for(keyworker).get(url(studied))
    assert response.status_code == 200
    rows = {r.criterion: (r.before, r.current, r.impact) for r in response.context["study"].rows}
    assert rows["School attendance"] == (
        f"79.5% (spring term {Y - 2}/{(Y - 1) % 100:02d})",
        f"93.5% (autumn term {Y - 1}/{Y % 100:02d})",
        "Up 14.0 percentage points",
    )
    assert rows["Exclusions"] == ("2", "0", "100% decrease")
    assert rows["Offences"] == ("4", "1", "75% decrease")
    assert rows["Domestic abuse call-outs reported"] == ("0", "1", "Up from none")
    assert rows["In employment"] == ("No", "Yes", "Into work")
    html = response.content.decode()
    assert "Case study: Okafor family" in html
    assert "Up 14.0 percentage points" in html
    assert "css/case-study.css" in html


def test_viewing_the_case_study_is_written_to_the_access_log(client_for, keyworker, studied):
    client_for(keyworker).get(url(studied))
    entry = AccessLog.objects.get(family=studied, user=keyworker)
    assert (entry.via, entry.action, entry.path) == ("page", "viewed case study", url(studied))


def test_the_family_page_links_to_its_case_study(client_for, keyworker, studied):
    html = client_for(keyworker).get(f"/families/{studied.reference}/").content.decode()
    assert f'href="{url(studied)}"' in html


# role: status for a family led by `keyworker` in the North team
ROLES = {
    "keyworker": 200,
    "other_keyworker": 404,
    "team_manager": 200,
    "other_team_manager": 404,
    "programme_manager": 200,
    "auditor": 200,
    "data_officer": 200,
    "administrator": 200,
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_sees_the_case_study_of_the_families_in_their_scope(
    request, client_for, role, studied
):
    user = request.getfixturevalue(role)
    response = client_for(user).get(url(studied))
    assert response.status_code == ROLES[role]
    logged = AccessLog.objects.filter(family=studied, user=user, action="viewed case study")
    assert logged.exists() == (ROLES[role] == 200)


def test_anonymous_is_sent_to_sign_in(studied):
    assert Client().get(url(studied))["Location"].startswith("/sign-in/")


def test_an_unknown_family_is_not_found(client_for, programme_manager):
    assert (
        client_for(programme_manager).get("/reports/families/F-999999/case-study/").status_code
        == 404
    )


def test_the_case_study_runs_the_same_queries_however_much_evidence(client_for, keyworker, studied):
    client = client_for(keyworker)
    client.get(url(studied))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(studied)).status_code == 200
        return len(captured)

    few = count()
    child = studied.memberships.get(role="child").person
    for n in range(15):
        record("offences", person=child, offence_date=(TODAY - timedelta(days=20 + n)).isoformat())
        f.MembershipFactory(family=studied, person=f.PersonFactory())
    many = count()
    print(f"case study queries: few records {few}, many records {many}")
    assert few == many
