"""Who worked with the families: the Oxfordshire table reproduced from interventions, the page,
its download, the API and who may read them.

The figures are from the table in paragraph 8 of Oxfordshire's 2015 Thriving Families report
(/work/shared/domain/oxfordshire-2015-...txt). The scanned table is partly garbled; these are
the five rows whose label is clear and whose seven locality figures add up both to the row's
county total and to its three area figures, so they are the report's figures beyond doubt:

    row                                  Ban Bic EOx Lit SEO SWO WOx  North Central South  Oxon
    Just the Youth Offending Service       3   2   5   8   8   4   5     10      13    12    35
    Thriving Families team and EI          0   1   0   3   0   2   2      3       3     2     8
    Thriving Families team & social care   5   3   7   4  11   2   1      9      11    13    33
    EI team and social care               19   9  10  17   3  14  13     41      27    17    85
    Social care and Youth Offending        2   2   1   2   3   0   3      7       3     3    13

(South East Oxon's figure for "Thriving Families team and EI" is blank in the scan: the row's
total, 8, makes it 0.) The areas are the CEF localities the hubs roll up to (North: Banbury,
Bicester, West Oxon; Central: East Oxford, Littlemore; South: South East and South West Oxon).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.models import Family, Intervention, Locality

pytestmark = pytest.mark.django_db

URL = "/reports/services/"
API = "/api/v1/reports/services/"
S = Intervention.Service
HUBS = [
    ("Banbury", Locality.Area.NORTH),
    ("Bicester", Locality.Area.NORTH),
    ("East Oxford", Locality.Area.CENTRAL),
    ("Littlemore", Locality.Area.CENTRAL),
    ("South East Oxon", Locality.Area.SOUTH),
    ("South West Oxon", Locality.Area.SOUTH),
    ("West Oxon", Locality.Area.NORTH),
]
OXFORDSHIRE = [
    # (services, families by hub in HUBS order, (North, Central, South), Oxon)
    ((S.YOUTH_OFFENDING,), [3, 2, 5, 8, 8, 4, 5], (10, 13, 12), 35),
    ((S.THRIVING_FAMILIES, S.EARLY_INTERVENTION), [0, 1, 0, 3, 0, 2, 2], (3, 3, 2), 8),
    ((S.THRIVING_FAMILIES, S.SOCIAL_CARE), [5, 3, 7, 4, 11, 2, 1], (9, 11, 13), 33),
    ((S.EARLY_INTERVENTION, S.SOCIAL_CARE), [19, 9, 10, 17, 3, 14, 13], (41, 27, 17), 85),
    ((S.SOCIAL_CARE, S.YOUTH_OFFENDING), [2, 2, 1, 2, 3, 0, 3], (7, 3, 3), 13),
]
READERS = ["programme_manager", "team_manager", "data_officer", "auditor"]
REFUSED = ["keyworker", "administrator"]


@pytest.fixture
def hubs(db):
    # Teams' localities are among the hubs (tests.factories.LocalityFactory): set their areas.
    return [
        Locality.objects.update_or_create(name=name, defaults={"area": area})[0]
        for name, area in HUBS
    ]


def make_families(hubs, rows, *, start=0, extra=()):
    """Families in each hub whose interventions are the row's services (each service once, and
    the first twice, to show a service counts once), plus any `extra` other organisations."""
    families, interventions = [], []
    number = start
    for services, by_hub, _, _ in rows:
        for hub, count in zip(hubs, by_hub, strict=True):
            for _ in range(count):
                number += 1
                families.append(
                    (
                        Family(
                            reference=f"F-8{number:05d}",
                            name="Test",
                            locality=hub,
                            identified_on=date(2013, 4, 1),
                        ),
                        [services[0], *services, *extra],
                    )
                )
    Family.objects.bulk_create([fam for fam, _ in families])
    for fam, services in families:
        for service in services:
            interventions.append(
                Intervention(family=fam, service=service, start_date=date(2013, 5, 1))
            )
    Intervention.objects.bulk_create(interventions)
    return number


def by_label(table):
    return {row[0]: row[1:] for row in table.rows}


def test_the_table_reproduces_oxfordshires_figures(client_for, programme_manager, hubs):
    make_families(hubs, OXFORDSHIRE)
    response = client_for(programme_manager).get(URL)
    assert response.status_code == 200
    table = response.context["table"]
    # The hubs in the report's order (which is by name), then the areas, then the county.
    assert table.columns == [
        "Who worked with the families",
        *(name for name, _ in HUBS),
        "North",
        "Central",
        "South",
        "Total",
    ]
    rows = by_label(table)
    labels = {
        (S.YOUTH_OFFENDING,): "Just the Youth Offending Service",
        (S.THRIVING_FAMILIES, S.EARLY_INTERVENTION): "The keywork team and Early Intervention",
        (S.THRIVING_FAMILIES, S.SOCIAL_CARE): "The keywork team and social care",
        (S.EARLY_INTERVENTION, S.SOCIAL_CARE): "Early Intervention and social care",
        (S.SOCIAL_CARE, S.YOUTH_OFFENDING): "Social care and the Youth Offending Service",
    }
    for services, by_hub, areas, total in OXFORDSHIRE:
        expected = [*by_hub, *areas, total]
        assert rows[labels[services]] == expected, labels[services]
    assert rows["Just the keywork team"] == [0] * 11
    assert rows["Families in the programme living in the area"][-1] == 174
    assert table.totals[0] == "Families at least one council service worked with"
    # North 70, Central 57, South 47: the five rows' area figures added up.
    assert table.totals[-4:] == [70, 57, 47, 174]


def test_families_only_other_organisations_worked_with_have_their_own_row(
    client_for, auditor, hubs
):
    rows = [((S.SCHOOL,), [1, 0, 0, 0, 0, 0, 2], None, 3)]
    number = make_families(hubs, rows)
    # A family with a council service and a school counts under the council service.
    make_families(
        hubs, [((S.SOCIAL_CARE,), [0, 1, 0, 0, 0, 0, 0], None, 1)], start=number, extra=(S.POLICE,)
    )
    Family.objects.create(reference="F-899999", name="New", identified_on=date(2016, 1, 1))
    table = client_for(auditor).get(URL).context["table"]
    found = by_label(table)
    # Banbury, Bicester, East Oxford, Littlemore, SE Oxon, SW Oxon, West Oxon, No locality
    assert found["Families worked with only by other organisations"][:8] == [1, 0, 0, 0, 0, 0, 2, 0]
    assert found["Families worked with only by other organisations"][-1] == 3
    assert found["Just social care"][-1] == 1
    assert found["No service recorded yet"][-1] == 1
    assert found["Families in the programme living in the area"][-1] == 5
    # The family with no locality has its own column and area.
    assert "No locality recorded" in table.columns
    assert "No area recorded" in table.columns


def test_the_table_downloads(client_for, data_officer, hubs):
    make_families(hubs, OXFORDSHIRE[:1])
    response = client_for(data_officer).get(
        URL, {"download": "csv", "table": "who-worked-with-the-families"}
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Who worked with the families"
    youth = next(line for line in lines if line[0] == "Just the Youth Offending Service")
    assert youth[-4:] == ["10", "13", "12", "35"]


def test_the_api_returns_the_table(api_for, team_manager, hubs):
    make_families(hubs, OXFORDSHIRE)
    response = api_for(team_manager).get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["areas"] == ["North", "Central", "South"]
    assert {"name": "West Oxon", "area": "North"} in body["localities"]
    assert body["families"]["total"] == 174
    row = next(
        r for r in body["combinations"] if r["label"] == "Early Intervention and social care"
    )
    assert row["services"] == ["early_intervention", "social_care"]
    assert row["key"] == "early_intervention+social_care"
    assert row["by_locality"]["Banbury"] == 19
    assert row["by_area"] == {"North": 41, "Central": 27, "South": 17}
    assert row["total"] == 85
    assert body["council_services_total"]["total"] == 174


@pytest.mark.parametrize(
    ("role", "status"), [*((r, 200) for r in READERS), *((r, 403) for r in REFUSED)]
)
def test_role_against_the_page_and_the_api(request, client_for, api_for, role, status):
    user = request.getfixturevalue(role)
    assert client_for(user).get(URL).status_code == status
    assert api_for(user).get(API).status_code == status


def test_the_api_refuses_the_signed_out(client):
    assert client.get(API).status_code in (401, 403)


def test_the_schema_documents_the_endpoint(client_for, programme_manager):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    import json

    schema = json.loads(out.getvalue())
    operation = schema["paths"]["/api/v1/reports/services/"]["get"]
    assert operation["operationId"] == "reports_services"
    assert "ServicesReport" in schema["components"]["schemas"]


def test_the_queries_do_not_grow_with_the_families(client_for, programme_manager, hubs):
    client = client_for(programme_manager)
    number = make_families(hubs, OXFORDSHIRE[:1])
    client.get(URL)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = count()
    make_families(hubs, OXFORDSHIRE[1:], start=number)
    many = count()
    print(f"services page queries: 35 families {few}, 174 families {many}")
    assert few == many
