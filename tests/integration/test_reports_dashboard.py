"""The programme dashboard: who may read it, the figures it counts from constructed families,
its filters, its downloads, and a query count that does not grow with the families.

Families, evaluations and claims are written as plain rows with the dates and states each
figure reads (the services' own tests cover how they come about); the dashboard only counts.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from claims.models import Claim, ClaimBatch, ClaimType, Phase, Tariff
from claims.tariffs import ensure_national_tariffs
from families.models import Family, Locality
from outcomes.models import Evaluation
from reports.models import IdentificationTarget
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"
READERS = ["programme_manager", "team_manager", "data_officer", "auditor"]
REFUSED = ["keyworker", "administrator"]


# --- constructed data -----------------------------------------------------------------------------


def family(reference, *, team, locality, identified, attached=None, closed=None):
    status = Family.Status.IDENTIFIED
    if attached:
        status = Family.Status.ATTACHED
    if closed:
        status = Family.Status.CLOSED
    return Family.objects.create(
        reference=reference,
        name="Test",
        team=team,
        locality=locality,
        identified_on=identified,
        attached_on=attached,
        closed_on=closed,
        closure_reason=Family.ClosureReason.OUTCOMES_ACHIEVED if closed else "",
        status=status,
    )


def evaluation(
    family, plan, *, met=(), identified=(), employment=False, near_miss=False, as_of=None
):
    """A stored current evaluation in the engine's shape: `met` problems identified and met,
    `identified` ones identified and not met yet."""
    problems = [
        {"code": code, "title": code, "identified": True, "outcome": "met"} for code in met
    ] + [
        {"code": code, "title": code, "identified": True, "outcome": "progressing"}
        for code in identified
    ]
    return Evaluation.objects.create(
        family=family,
        plan_version=plan,
        as_of=as_of or date(2016, 9, 30),
        result={"problems": problems, "blocking": []},
        evidence_digest="0" * 64,
        eligible=True,
        claimable_results=bool(met) and not identified,
        claimable_employment=employment,
        blocking_count=1 if near_miss else 0,
        is_current=True,
    )


def claim(family, *, claim_type, as_of, status=Claim.Status.PENDING, reference):
    ensure_national_tariffs()
    tariff = Tariff.objects.filter(phase=Phase.PHASE_2, claim_type=claim_type).first()
    batch, _ = ClaimBatch.objects.get_or_create(reference=reference, defaults={"as_of": as_of})
    return Claim.objects.create(
        batch=batch,
        family=family,
        claim_type=claim_type,
        phase=Phase.PHASE_2,
        tariff=tariff,
        amount=tariff.amount,
        status=status,
        rejection_reason="Not evidenced" if status == Claim.Status.REJECTED else "",
    )


@pytest.fixture
def places(team, other_team):
    north, _ = Locality.objects.update_or_create(
        name="Banbury", defaults={"area": Locality.Area.NORTH}
    )
    central, _ = Locality.objects.update_or_create(
        name="Littlemore", defaults={"area": Locality.Area.CENTRAL}
    )
    return {"north": north, "central": central, "team": team, "other_team": other_team}


@pytest.fixture
def programme(places):
    """Five families over programme years 2015 to 2016 and 2016 to 2017, with evaluations and
    claims, and the council's targets for both years."""
    team, other, north, central = (
        places["team"],
        places["other_team"],
        places["north"],
        places["central"],
    )
    plan = f.ShippedPlanFactory()
    IdentificationTarget.objects.create(
        year_start=date(2015, 4, 1),
        label="2015 to 2016",
        families_to_identify=4,
        families_to_attach=3,
    )
    IdentificationTarget.objects.create(
        year_start=date(2016, 4, 1), label="2016 to 2017", families_to_identify=2
    )
    # 2015 to 2016: three identified (the last on 31 March 2016), two attached in the year.
    a = family(
        "F-700001",
        team=team,
        locality=north,
        identified=date(2015, 4, 1),
        attached=date(2015, 6, 1),
        closed=date(2016, 10, 1),
    )
    b = family(
        "F-700002",
        team=team,
        locality=north,
        identified=date(2015, 9, 1),
        attached=date(2016, 3, 31),
    )
    c = family("F-700003", team=other, locality=central, identified=date(2016, 3, 31))
    # 2016 to 2017: two identified (from 1 April 2016), one attached.
    d = family(
        "F-700004",
        team=other,
        locality=central,
        identified=date(2016, 4, 1),
        attached=date(2016, 4, 1),
    )
    e = family("F-700005", team=team, locality=None, identified=date(2017, 3, 1))
    evaluation(a, plan, met=["school_attendance", "crime_asb"])
    evaluation(b, plan, met=["school_attendance"], identified=["crime_asb"], near_miss=True)
    evaluation(d, plan, met=["crime_asb"], employment=True)
    # A closed family one measure away is no longer a near miss.
    evaluation(c, plan, identified=["health"], near_miss=False)
    claim(a, claim_type=ClaimType.ATTACHMENT, as_of=date(2016, 3, 31), reference="CB-1")
    claim(
        a,
        claim_type=ClaimType.RESULTS,
        as_of=date(2016, 9, 30),
        status=Claim.Status.PAID,
        reference="CB-2",
    )
    claim(d, claim_type=ClaimType.ATTACHMENT, as_of=date(2016, 9, 30), reference="CB-2")
    # Rejected claims do not count.
    claim(
        b,
        claim_type=ClaimType.RESULTS,
        as_of=date(2016, 9, 30),
        status=Claim.Status.REJECTED,
        reference="CB-2",
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e, **places}


def table(response, slug):
    return next(t for t in response.context["report"].tables if t.slug == slug)


def rows(table):
    return {row[0]: row[1:] for row in table.rows}


# --- who may read it --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [*((r, 200) for r in READERS), *((r, 403) for r in REFUSED)]
)
def test_role_against_the_dashboard(request, client_for, role, status):
    response = client_for(request.getfixturevalue(role)).get(URL)
    assert response.status_code == status


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign-in" in response["Location"]


def test_the_reports_index_lists_the_dashboard(client_for, programme_manager):
    response = client_for(programme_manager).get("/reports/")
    assert b'href="/reports/dashboard/"' in response.content
    assert b'href="/reports/services/"' in response.content
    assert b'href="/reports/returns/"' in response.content


# --- the figures ------------------------------------------------------------------------------------


def test_families_by_programme_year_against_the_targets(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(URL)
    by_year = rows(table(response, "families-by-year"))
    # identified, target, attached, target to attach, closed, claimed for
    assert by_year["2015 to 2016"] == [3, 4, 2, 3, 0, 0]
    # 31 March 2016 is in 2015 to 2016; 1 April 2016 starts 2016 to 2017. No attach target set.
    assert by_year["2016 to 2017"] == [2, 2, 1, None, 1, 1]
    assert table(response, "families-by-year").totals == ["Total", 5, 6, 3, 3, 1, 1]


def test_outcomes_read_as_sentences_per_problem(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(URL)
    html = response.content.decode()
    assert "2 families saw significant improvement in school attendance" in html
    assert "2 families saw offending and anti-social behaviour reduce significantly" in html
    assert "1 family had an adult move into continuous employment" in html
    assert "0 families saw significant improvement in their health" in html
    outcomes = rows(table(response, "outcomes-by-problem"))
    assert outcomes["School attendance"] == [2]
    assert outcomes["Health"] == [0]


def test_near_misses_count_open_families_one_measure_away(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(URL)
    assert response.context["report"].near_misses == 1
    assert "1 open family is one measure away from a results claim" in response.content.decode()


def test_families_by_locality_and_area(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(URL)
    by_locality = rows(table(response, "families-by-locality"))
    # identified, attached, closed, all
    assert by_locality["Banbury"] == [0, 1, 1, 2]
    assert by_locality["Littlemore"] == [1, 1, 0, 2]
    assert by_locality["No locality recorded"] == [1, 0, 0, 1]
    by_area = rows(table(response, "families-by-area"))
    assert by_area["North"] == [0, 1, 1, 2]
    assert by_area["Central"] == [1, 1, 0, 2]
    assert table(response, "families-by-area").totals == ["Total", 2, 2, 1, 5]


def test_claims_and_income_by_type_and_period(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(URL)
    by_type = rows(table(response, "claims-by-type"))
    # claims, claimed, paid: the rejected results claim is left out
    assert by_type["Attachment fee"] == [2, Decimal("2000.00"), Decimal("0.00")]
    assert by_type["Significant and sustained progress"] == [
        1,
        Decimal("800.00"),
        Decimal("800.00"),
    ]
    by_period = rows(table(response, "claims-by-period"))
    assert by_period["2015 to 2016"] == [1, Decimal("1000.00"), Decimal("0.00")]
    assert by_period["2016 to 2017"] == [2, Decimal("1800.00"), Decimal("800.00")]


def test_every_figure_has_a_chart_and_its_table(client_for, programme_manager, programme):
    html = client_for(programme_manager).get(URL).content.decode()
    assert html.count('<svg class="app-chart"') == 6
    assert html.count('<table class="govuk-table">') == 6
    assert "style=" not in html.split('id="main-content"')[1]


# --- filters ----------------------------------------------------------------------------------------


def test_a_programme_year_shows_that_year_and_its_claims_by_quarter(
    client_for, programme_manager, programme
):
    response = client_for(programme_manager).get(URL, {"year": 2016, "team": "", "locality": ""})
    assert list(rows(table(response, "families-by-year"))) == ["2016 to 2017"]
    by_quarter = rows(table(response, "claims-by-period"))
    assert by_quarter == {"July to September 2016": [2, Decimal("1800.00"), Decimal("800.00")]}
    # Families in the programme at some time in the year: F-700001 closed in October 2016.
    by_locality = rows(table(response, "families-by-locality"))
    assert by_locality["Banbury"][-1] == 2


def test_team_and_locality_filters(client_for, programme_manager, programme):
    client = client_for(programme_manager)
    team = programme["other_team"]
    response = client.get(URL, {"team": team.pk, "year": "", "locality": ""})
    assert rows(table(response, "families-by-locality"))["Littlemore"] == [1, 1, 0, 2]
    assert rows(table(response, "families-by-locality"))["Banbury"] == [0, 0, 0, 0]
    response = client.get(URL, {"locality": programme["north"].pk})
    assert table(response, "families-by-year").totals[1] == 2


def test_a_team_manager_starts_on_their_team_and_may_see_the_whole_council(
    client_for, team_manager, programme
):
    client = client_for(team_manager)
    first = client.get(URL)
    assert first.context["report"].filters.team == team_manager.team_id
    assert f'<option value="{team_manager.team_id}" selected>' in first.content.decode()
    # Their team: F-700001, F-700002 and F-700005.
    assert table(first, "families-by-year").totals[1] == 3
    everyone = client.get(URL, {"team": "", "year": "", "locality": ""})
    assert everyone.context["report"].filters.team is None
    assert table(everyone, "families-by-year").totals[1] == 5


def test_a_filter_value_outside_the_choices_counts_everything(
    client_for, programme_manager, programme
):
    response = client_for(programme_manager).get(URL, {"team": "999999"})
    assert response.status_code == 200
    assert table(response, "families-by-year").totals[1] == 5


# --- downloads --------------------------------------------------------------------------------------


def test_each_table_downloads_as_csv(client_for, programme_manager, programme):
    client = client_for(programme_manager)
    response = client.get(URL, {"download": "csv", "table": "claims-by-type"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="claims-by-type.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Claim type", "Claims", "Amount claimed (£)", "Income received (£)"]
    assert ["Attachment fee", "2", "2000.00", "0.00"] in lines
    assert lines[-1] == ["Total", "3", "2800.00", "800.00"]


def test_a_download_follows_the_filters(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(
        URL, {"year": 2015, "download": "csv", "table": "families-by-year"}
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1:] == [["2015 to 2016", "3", "4", "2", "3", "0", "0"]]


def test_each_table_downloads_as_excel(client_for, programme_manager, programme):
    response = client_for(programme_manager).get(
        URL, {"download": "xlsx", "table": "families-by-locality"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Locality", "Identified", "Attached", "Closed", "All families"]
    assert ["Banbury", 0, 1, 1, 2] in values


def test_an_unknown_table_is_not_found(client_for, programme_manager):
    response = client_for(programme_manager).get(URL, {"download": "csv", "table": "nope"})
    assert response.status_code == 404


# --- queries ----------------------------------------------------------------------------------------


def add_families(places, count: int, start: int) -> None:
    plan = f.ShippedPlanFactory()
    for number in range(start, start + count):
        fam = family(
            f"F-71{number:04d}",
            team=places["team"],
            locality=places["north"],
            identified=date(2015, 4, 1),
            attached=date(2015, 5, 1),
        )
        evaluation(fam, plan, met=["school_attendance"], as_of=date(2016, 1, 1))
        claim(
            fam,
            claim_type=ClaimType.ATTACHMENT,
            as_of=date(2015 + number % 2, 9, 30),
            reference=f"CB-Q{number % 2}",
        )


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_costs_the_same_queries_for_more_families(
    client_for, programme_manager, places
):
    client = client_for(programme_manager)
    add_families(places, 2, 0)
    client.get(URL)
    few = queries(client)
    add_families(places, 20, 2)
    many = queries(client)
    filtered = queries(client, {"year": 2015, "team": places["team"].pk})
    print(f"dashboard queries: 2 families {few}, 22 families {many}, filtered {filtered}")
    assert few == many == filtered
    assert many <= 20


# --- the demo ---------------------------------------------------------------------------------------


def test_the_demo_sets_a_target_for_each_programme_year_once(places):
    import random

    from demo import reports as demo_reports

    family("F-720001", team=places["team"], locality=None, identified=date(2015, 3, 31))
    family("F-720002", team=places["team"], locality=None, identified=date(2016, 4, 1))
    demo_reports.extend_demo(
        families=[], rng=random.Random(1), synthetic=False, stdout=None, today=date(2016, 5, 1)
    )
    targets = list(IdentificationTarget.objects.values_list("label", "year_start"))
    assert targets == [
        ("2014 to 2015", date(2014, 4, 1)),
        ("2015 to 2016", date(2015, 4, 1)),
        ("2016 to 2017", date(2016, 4, 1)),
    ]
    IdentificationTarget.objects.filter(year_start=date(2015, 4, 1)).update(families_to_identify=99)
    demo_reports.extend_demo(
        families=[], rng=random.Random(2), synthetic=False, stdout=None, today=date(2016, 5, 1)
    )
    assert IdentificationTarget.objects.count() == 3
    assert IdentificationTarget.objects.get(year_start=date(2015, 4, 1)).families_to_identify == 99


def test_a_download_counts_what_the_page_shows(client_for, team_manager, programme):
    client = client_for(team_manager)
    page = client.get(URL, {"team": "", "year": "", "locality": ""})
    query = page.context["query"]
    assert query == "year=&team=&locality="
    response = client.get(f"{URL}?{query}&download=csv&table=families-by-year")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Every team's families, as on the page, not the manager's own team's.
    assert lines[-1][:2] == ["Total", "5"]
