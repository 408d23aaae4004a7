"""The Outcome Stars report page and its API: Oxfordshire's My Star figures from constructed
readings, the filters, the downloads, who may read it, and a query count that does not grow
with the readings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.factories.stars import FAMILY_STAR, MY_STAR, star_reading

pytestmark = pytest.mark.django_db

BASELINE_ON = dt.date(2014, 5, 1)
LATEST_ON = dt.date(2015, 2, 2)
URL = "/reports/stars/"
API = "/api/v1/reports/stars/"

# Five children: 104 points of 40 at baseline (2.60), 136 at the latest (3.40).
OXFORDSHIRE_MY_STAR = [(3, 4), (3, 4), (3, 3), (2, 3), (2, 3)]


def oxfordshire_cohort(family, keyworker, children=OXFORDSHIRE_MY_STAR):
    people = [family.memberships.get(role="child").person]
    while len(people) < len(children):
        people.append(f.ChildMembershipFactory(family=family, person=f.ChildFactory()).person)
    for person, (first, last) in zip(people, children, strict=False):
        for on, kind, score in ((BASELINE_ON, "baseline", first), (LATEST_ON, "review", last)):
            star_reading(
                family=family,
                name=MY_STAR,
                read_on=on,
                kind=kind,
                scores=score,
                person=person,
                recorded_by=keyworker,
            )


def test_my_star_figures_as_oxfordshire_reported_them(
    client_for, programme_manager, keyworker, family
):
    oxfordshire_cohort(family, keyworker)
    # A child with only a baseline does not count.
    star_reading(
        family=family,
        name=MY_STAR,
        read_on=BASELINE_ON,
        scores=1,
        person=f.ChildMembershipFactory(family=family, person=f.ChildFactory()).person,
        recorded_by=keyworker,
    )
    page = client_for(programme_manager).get(URL).content.decode()
    assert "Children and young people with a baseline and a later reading: 5." in page
    for figure in ("2.60", "3.40", "0.80", "30.77%"):
        assert figure in page
    assert "Feelings and behaviour" in page
    assert 'role="img"' in page and "Average baseline" in page
    assert "style=" not in page.split("<main")[1]

    csv = client_for(programme_manager).get(URL, {"download": "csv", "table": "stars-my-star"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "All areas,5,2.60,3.40,0.80,30.77%" in text
    assert "Physical health,5,2.60,3.40,0.80,30.77%" in text


def test_filters_by_star_and_period(client_for, programme_manager, keyworker, family):
    oxfordshire_cohort(family, keyworker)
    client = client_for(programme_manager)
    page = client.get(URL, {"star": MY_STAR}).content.decode()
    assert '<h2 class="govuk-heading-m">My Star</h2>' in page
    assert '<h2 class="govuk-heading-m">Family Star Plus</h2>' not in page

    # Ending the period before the reviews leaves only baselines: no one counts.
    page = client.get(
        URL, {"date_to_day": "1", "date_to_month": "1", "date_to_year": "2015"}
    ).content.decode()
    assert "30.77%" not in page
    assert "No one has a baseline and a later reading of this Star for these filters" in page

    page = client.get(
        URL,
        {
            "date_from_day": "1",
            "date_from_month": "1",
            "date_from_year": "2015",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2014",
        },
    ).content.decode()
    assert "There is a problem" in page
    assert "The end of the period must be on or after its start" in page


# role fixture -> status of the report page
PAGE_ACCESS = {
    "keyworker": 403,
    "team_manager": 200,
    "other_team_manager": 200,
    "programme_manager": 200,
    "auditor": 200,
    "data_officer": 200,
    "administrator": 403,
}


@pytest.mark.parametrize(("role", "expected"), PAGE_ACCESS.items())
def test_who_may_read_the_report(request, client_for, keyworker, family, role, expected):
    oxfordshire_cohort(family, keyworker)
    client = client_for(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == expected
    api = request.getfixturevalue("api_for")(request.getfixturevalue(role)).get(API)
    assert api.status_code == expected
    if expected == 200:
        # A team manager of another team sees none of this team's families.
        counted = "30.77%" in response.content.decode()
        assert counted == (role != "other_team_manager")
        my_star = next(s for s in api.json()["stars"] if s["star"] == MY_STAR)
        assert my_star["all_areas"]["count"] == (0 if role == "other_team_manager" else 5)


def test_signed_out_no_report(client, family):
    assert client.get(URL).status_code == 302
    from rest_framework.test import APIClient

    assert APIClient().get(API).status_code in (401, 403)


def test_the_api_gives_the_table_as_json(api_for, programme_manager, keyworker, family):
    oxfordshire_cohort(family, keyworker)
    response = api_for(programme_manager).get(API, {"star": "my star", "from": "2014-01-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["date_from"] == "2014-01-01" and body["date_to"] is None
    (my_star,) = body["stars"]
    assert my_star["star"] == MY_STAR and my_star["counts"] == "people"
    assert (my_star["scale_min"], my_star["scale_max"]) == (1, 5)
    assert my_star["all_areas"] == {
        "count": 5,
        "average_baseline": "2.60",
        "average_latest": "3.40",
        "change": "0.80",
        "percentage_change": "30.77",
    }
    assert [a["area"] for a in my_star["areas"]][:2] == ["physical_health", "where_you_live"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"star": "North Star"}, "star"),
        ({"from": "2015-13-01"}, "from"),
        ({"from": "2015-06-01", "to": "2015-01-01"}, "to"),
    ],
)
def test_the_api_says_which_parameter_is_wrong(api_for, programme_manager, params, field):
    response = api_for(programme_manager).get(API, params)
    assert response.status_code == 400
    assert field in response.json()


def test_report_queries_do_not_grow_with_readings(client_for, programme_manager, keyworker, family):
    client = client_for(programme_manager)
    client.get(URL)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    oxfordshire_cohort(family, keyworker, children=[(2, 3)])
    few = (count(URL), count(API))
    other = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.ChildMembershipFactory(family=other, person=f.ChildFactory())
    oxfordshire_cohort(other, keyworker, children=[(1, 2)] * 6)
    for on in (BASELINE_ON, LATEST_ON):
        star_reading(family=other, name=FAMILY_STAR, read_on=on, recorded_by=keyworker)
    many = (count(URL), count(API))
    print(f"Outcome Stars report queries (page, API): 1 child {few}, 7 children {many}")
    assert few == many


def test_the_api_is_in_the_schema_and_the_report_on_the_index(client_for, programme_manager):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/reports/stars/"]["get"]
    assert operation["operationId"] == "report_stars"
    assert {p["name"] for p in operation["parameters"]} >= {"star", "from", "to"}
    page = client_for(programme_manager).get("/reports/").content.decode()
    assert 'href="/reports/stars/"' in page and "Outcome Stars" in page
