"""Cost savings: the unit cost table, the API, the `report cost-savings` command and the page.

Family E (Hertfordshire, 2013) priced from the demo council's unit cost table gives £43,002 before,
£6,208 for the intervention, £4,600 after and £32,194 saved (the report prints £42,999 and
£32,191: see tests/unit/reports/test_cost_savings.py).
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from demo.report_costs import FAMILY_E, UNIT_COSTS, extend_demo
from reports.models import UnitCost

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/cost-savings/"
PAGE = "/reports/cost-savings/"


def _periods() -> dict:
    return {
        period: [{"item": q.item, "quantity": str(q.quantity)} for q in quantities]
        for period, quantities in FAMILY_E.items()
    }


FAMILY_E_INPUT = {
    "unit_costs": [{"name": u.name, "unit": u.unit, "cost": str(u.cost)} for u in UNIT_COSTS],
    **_periods(),
}
FIGURES = {
    "cost_before": "43002.00",
    "intervention_cost": "6208.00",
    "cost_after": "4600.00",
    "savings": "32194.00",
    "saved_per_pound": "5.19",
}

ROLES = {
    "programme_manager": 200,
    "team_manager": 200,
    "data_officer": 200,
    "auditor": 200,
    "keyworker": 403,
    "administrator": 403,
}


@pytest.fixture
def seeded():
    extend_demo(families=[], rng=None, synthetic=False, stdout=None)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_against_the_api_and_the_page(request, role, api_for, client_for):
    user = request.getfixturevalue(role)
    assert api_for(user).post(URL, FAMILY_E_INPUT, format="json").status_code == ROLES[role]
    assert client_for(user).get(PAGE).status_code == ROLES[role]


def test_anonymous_is_refused_by_the_api_and_sent_to_sign_in_by_the_page():
    body = json.dumps(FAMILY_E_INPUT)
    assert Client().post(URL, body, content_type="application/json").status_code == 403
    assert Client().get(PAGE)["Location"].startswith("/sign-in/")


def test_the_api_gives_family_es_figures(programme_manager, api_for):
    body = api_for(programme_manager).post(URL, FAMILY_E_INPUT, format="json").json()
    assert {k: body[k] for k in FIGURES} == FIGURES
    assert body["breakdown"]["before"][0] == {
        "item": "Police call-out time",
        "unit": "per hour",
        "cost": "33.00",
        "quantity": "62",
        "amount": "2046.00",
    }


def test_without_unit_costs_the_api_uses_the_councils_table(programme_manager, api_for, seeded):
    assert UnitCost.objects.count() == 13
    body = api_for(programme_manager).post(URL, _periods(), format="json").json()
    assert {k: body[k] for k in FIGURES} == FIGURES


def test_seeding_twice_adds_nothing_and_keeps_the_councils_own_figures(seeded):
    UnitCost.objects.filter(name="Arrest").update(cost=2000)
    extend_demo(families=[], rng=None, synthetic=False, stdout=None)
    assert UnitCost.objects.count() == 13
    assert UnitCost.objects.get(name="Arrest").cost == 2000


def test_the_api_refuses_bad_input_with_field_errors(programme_manager, api_for):
    bad = {
        "unit_costs": [{"name": "Arrest", "cost": "-1"}, {"name": "arrest ", "cost": "2"}],
        "before": [{"item": "Arrest", "quantity": "x"}],
    }
    response = api_for(programme_manager).post(URL, bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["unit_costs"]["0"] == {"cost": ["A unit cost must be £0 or more"]}
    assert errors["before"]["0"] == {"quantity": ["A valid number is required."]}
    unknown = {
        **FAMILY_E_INPUT,
        "after": [*FAMILY_E_INPUT["after"], {"item": "Helicopter", "quantity": "1"}],
    }
    response = api_for(programme_manager).post(URL, unknown, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "after": {
            "3": {
                "item": [
                    "There is no unit cost called “Helicopter”: choose one from the unit cost table"
                ]
            }
        }
    }
    names = {"unit_costs": [{"name": "Arrest", "cost": "1"}, {"name": "arrest ", "cost": "2"}]}
    response = api_for(programme_manager).post(URL, names, format="json")
    assert response.json() == {"unit_costs": ["Give each unit cost a different name"]}


def test_a_quantity_of_zero_is_allowed_and_below_zero_is_not(programme_manager, api_for):
    client = api_for(programme_manager)
    zero = {**FAMILY_E_INPUT, "after": [{"item": "Arrest", "quantity": "0"}]}
    assert client.post(URL, zero, format="json").json()["cost_after"] == "0.00"
    below = {**FAMILY_E_INPUT, "after": [{"item": "Arrest", "quantity": "-0.01"}]}
    assert client.post(URL, below, format="json").status_code == 400


def test_the_command_prints_exactly_the_apis_answer(programme_manager, api_for, tmp_path):
    path = tmp_path / "family-e.json"
    path.write_text(json.dumps(FAMILY_E_INPUT))
    out = io.StringIO()
    call_command("report", "cost-savings", str(path), stdout=out)
    api = api_for(programme_manager).post(URL, FAMILY_E_INPUT, format="json")
    assert out.getvalue().strip() == api.content.decode()
    assert json.loads(out.getvalue())["savings"] == "32194.00"


def test_the_command_refuses_bad_input(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**FAMILY_E_INPUT, "before": [{"item": "Nope", "quantity": "1"}]}))
    with pytest.raises(CommandError, match="no unit cost called"):
        call_command("report", "cost-savings", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("report", "cost-savings", str(tmp_path / "missing.json"))


def _page_input() -> dict:
    names = [u.name for u in UnitCost.objects.order_by("name")]
    data = {"calculate": "1"}
    for period, quantities in FAMILY_E.items():
        for q in quantities:
            key = f"{period}-{names.index(q.item)}"
            data[key] = str(q.quantity)
    return data


def test_the_page_works_out_family_e_from_the_table(client_for, programme_manager, seeded):
    client = client_for(programme_manager)
    html = client.get(PAGE).content.decode()
    assert "national cost of dealing with domestic violence" in html
    response = client.get(PAGE, _page_input())
    html = response.content.decode()
    assert "Savings £32,194.00" in html
    assert "£5.19 saved for each £1 spent" in html
    assert "£43,002.00" in html and "£6,208.00" in html and "£4,600.00" in html
    csv = client.get(PAGE, {**_page_input(), "download": "csv", "table": "cost-savings"})
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[1] == "Arrest (6 months before),3.00,per arrest,1930.00,5790.00"


def test_the_page_shows_every_error_at_once(client_for, programme_manager, seeded):
    data = {**_page_input(), "before-0": "three", "after-1": "-2"}
    html = client_for(programme_manager).get(PAGE, data).content.decode()
    assert "There is a problem" in html
    assert "Enter arrest in the 6 months before as a number, like 3" in html
    assert "Child protection plan monitoring in the 6 months after must be 0 or more" in html
    assert "Savings £" not in html


def test_the_page_says_when_the_table_is_empty(client_for, programme_manager):
    html = client_for(programme_manager).get(PAGE).content.decode()
    assert "unit cost table is empty" in html


def test_the_page_offers_family_e_as_an_example_when_the_table_has_its_costs(
    client_for, programme_manager, seeded
):
    client = client_for(programme_manager)
    html = client.get(PAGE).content.decode()
    link = html.split("Fill in Hertfordshire")[0].rsplit('href="', 1)[1].split('"')[0]
    assert "Savings £32,194.00" in client.get(PAGE + link.replace("&amp;", "&")).content.decode()
    UnitCost.objects.filter(name="Truancy").delete()
    assert "Fill in Hertfordshire" not in client.get(PAGE).content.decode()


def test_a_family_that_cost_more_after_shows_no_savings(client_for, programme_manager, seeded):
    names = [u.name for u in UnitCost.objects.order_by("name")]
    data = {"calculate": "1", f"during-{names.index('Programme background cost')}": "1"}
    html = client_for(programme_manager).get(PAGE, data).content.decode()
    assert "No savings: the intervention and the services after it cost £3,789.00 more" in html
    assert "−£3,789.00" in html
    assert "govuk-panel--confirmation" not in html
