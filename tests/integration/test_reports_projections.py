"""Projections: the API, the `report projections` command and the page, for every role.

The figures come from Hertfordshire's 2013 table (tests/unit/reports/test_projections.py checks
every row); here the same input goes through each way in and must come out the same.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/projections/"
PAGE = "/reports/projections/"
QUARTERS = [
    "2012-09", "2012-12", "2013-03", "2013-06", "2013-09", "2013-12",
    "2014-03", "2014-06", "2014-09", "2014-12", "2015-03", "2015-05",
]  # fmt: skip
NEW = [39, 122, 266, 100, 123, 220, 252, 228, 0, 0, 0, 0]
HERTFORDSHIRE = {
    "quarters": [{"quarter": q, "new_cases": n} for q, n in zip(QUARTERS, NEW, strict=True)],
    "intervention_months": 9,
    "sustain_months": 6,
    "capacity": 700,
}

# role: (API status, page status)
ROLES = {
    "programme_manager": (200, 200),
    "team_manager": (200, 200),
    "data_officer": (200, 200),
    "auditor": (200, 200),
    "keyworker": (403, 403),
    "administrator": (403, 403),
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_against_the_api_and_the_page(request, role, api_for, client_for):
    user = request.getfixturevalue(role)
    api_status, page_status = ROLES[role]
    assert api_for(user).post(URL, HERTFORDSHIRE, format="json").status_code == api_status
    assert client_for(user).get(PAGE).status_code == page_status


def test_anonymous_is_refused_by_the_api_and_sent_to_sign_in_by_the_page():
    assert Client().post(URL, HERTFORDSHIRE, content_type="application/json").status_code == 403
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_api_gives_hertfordshires_table(programme_manager, api_for):
    body = api_for(programme_manager).post(URL, HERTFORDSHIRE, format="json").json()
    assert [r["cumulative_claims"] for r in body["rows"]] == [
        0, 0, 0, 0, 0, 39, 161, 427, 527, 650, 870, 1122, 1350,
    ]  # fmt: skip
    assert body["rows"][-1]["quarter"] == "2015-08"  # on to the last potential claim
    assert [r["net_case_holding"] for r in body["rows"]][3:10] == [
        488,
        489,
        443,
        595,
        700,
        480,
        228,
    ]
    assert body["peak_case_holding"] == 700 and body["peak_quarter"] == "2014-06"


def test_the_api_refuses_bad_input_with_field_errors(programme_manager, api_for):
    bad = {
        "quarters": [
            {"quarter": "2012-9", "new_cases": 39},
            {"quarter": "2012-12", "new_cases": -1},
        ],
        "intervention_months": 0,
        "sustain_months": 61,
        "capacity": "lots",
    }
    response = api_for(programme_manager).post(URL, bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["quarters"]["0"] == {
        "quarter": ["Enter the quarter as a year and month, like 2012-09"]
    }
    assert errors["quarters"]["1"] == {"new_cases": ["New cases must be 0 or more"]}
    assert errors["intervention_months"] == ["The intervention length must be at least 1 month"]
    assert errors["sustain_months"] == ["The sustain period must be 60 months or fewer"]
    assert errors["capacity"] == ["Enter the capacity as a whole number of families"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quarters": []}, "quarters"),
        ({"quarters": [{"quarter": "2013-03", "new_cases": 1}, {"quarter": "2012-12", "new_cases": 1}]}, "quarters"),
        ({"intervention_months": 60, "sustain_months": 1, "capacity": 0}, None),
        ({"sustain_months": None}, "sustain_months"),
        ({"quarters": [{"quarter": f"{2000 + i // 4}-{3 * (i % 4) + 3:02d}", "new_cases": 1} for i in range(81)]}, "quarters"),
        ({"quarters": [{"quarter": f"{2000 + i // 4}-{3 * (i % 4) + 3:02d}", "new_cases": 1} for i in range(80)]}, None),
    ],
)  # fmt: skip
def test_the_edges_of_valid_input(programme_manager, api_for, change, field):
    response = api_for(programme_manager).post(URL, {**HERTFORDSHIRE, **change}, format="json")
    if field is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and field in response.json()


def test_the_command_prints_exactly_the_apis_answer(programme_manager, api_for, tmp_path):
    path = tmp_path / "herts.json"
    path.write_text(json.dumps(HERTFORDSHIRE))
    out = io.StringIO()
    call_command("report", "projections", str(path), stdout=out)
    api = api_for(programme_manager).post(URL, HERTFORDSHIRE, format="json")
    assert out.getvalue().strip() == api.content.decode()


def test_the_command_refuses_bad_input(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**HERTFORDSHIRE, "capacity": -5}))
    with pytest.raises(CommandError, match="Capacity must be 0 or more"):
        call_command("report", "projections", str(path), stdout=io.StringIO())
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("report", "projections", str(path), stdout=io.StringIO())


def test_the_command_exits_non_zero_on_bad_input(tmp_path, capsys):
    from django.core.management import execute_from_command_line

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**HERTFORDSHIRE, "intervention_months": 0}))
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "report", "projections", str(path)])
    assert exited.value.code != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "The intervention length must be at least 1 month" in err


def _entered(**extra) -> dict:
    lines = "\n".join(f"{q} {n}" for q, n in zip(QUARTERS, NEW, strict=True))
    return {
        "source": "entered",
        "new_cases": lines,
        "intervention_months": "9",
        "sustain_months": "6",
        "capacity": "700",
        **extra,
    }


def test_the_page_projects_entered_figures_with_charts_and_a_download(
    client_for, programme_manager
):
    client = client_for(programme_manager)
    response = client.get(PAGE, _entered())
    html = response.content.decode()
    assert "Peak net case holding" in html and "June 2014" in html
    assert html.count("<svg") == 2
    assert "show when the last 228 families would become claimable" in html
    csv = client.get(PAGE, {**_entered(), "download": "csv", "table": "projections"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Quarter ending,New cases")
    assert lines[8] == "June 2014,228,1350,266,427,700"


def test_the_page_shows_every_error_at_once(client_for, programme_manager):
    response = client_for(programme_manager).get(
        PAGE, _entered(new_cases="2012-09 39\n2012-13 5", capacity="-1", sustain_months="x")
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Line 2: Enter the quarter as a year and month, like 2012-09" in html
    assert "Capacity must be 0 or more" in html
    assert "Enter the sustain period as a whole number of months" in html
    assert "<svg" not in html


def _attach(keyworker, count: int, start: int, on: date) -> None:
    for number in range(start, start + count):
        f.AttachedFamilyFactory(
            reference=f"F-97{number:04d}", lead_keyworker=keyworker, attached_on=on
        )


def test_the_live_page_counts_attached_families_by_quarter_within_the_users_scope(
    client_for, keyworker, other_team_manager, programme_manager
):
    today = timezone.localdate()
    _attach(keyworker, 3, 0, today)
    client = client_for(programme_manager)
    csv = client.get(PAGE, {"source": "live", "quarters_ahead": "0", "intervention_months": "9",
                            "sustain_months": "6", "capacity": "2", "download": "csv",
                            "table": "projections"})  # fmt: skip
    assert csv.content.decode("utf-8-sig").splitlines()[1].split(",")[1:3] == ["3", "3"]
    # Another team's manager sees none of them: no live figures.
    html = client_for(other_team_manager).get(PAGE).content.decode()
    assert "No families you can see have been attached" in html


def test_the_live_page_runs_the_same_queries_however_many_families(
    client_for, keyworker, programme_manager
):
    client = client_for(programme_manager)
    today = timezone.localdate()
    _attach(keyworker, 2, 0, today)
    client.get(PAGE)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    few = count()
    _attach(keyworker, 20, 2, date(today.year - 2, 1, 15))
    many = count()
    print(f"live projections page queries: 2 families {few}, 22 families {many}")
    assert few == many


def test_both_report_endpoints_are_in_the_openapi_schema(programme_manager, client_for):
    import yaml

    schema = yaml.safe_load(client_for(programme_manager).get("/api/schema/").content)
    projections = schema["paths"]["/api/v1/reports/projections/"]["post"]
    assert projections["operationId"] == "reports_projections"
    assert set(projections["responses"]) == {"200", "400", "403"}
    assert "post" in schema["paths"]["/api/v1/reports/cost-savings/"]


def test_capacity_may_be_left_out_of_the_api(programme_manager, api_for):
    without = {key: value for key, value in HERTFORDSHIRE.items() if key != "capacity"}
    response = api_for(programme_manager).post(URL, without, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["capacity"] is None and body["over_capacity_quarters"] == []
    assert body["peak_case_holding"] == 700
