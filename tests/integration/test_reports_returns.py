"""National returns: the identifier extract for the national impact study (only for the roles
that prepare returns, only with a purpose, logged for every family in it) and the quarterly
progress return."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from claims.models import Claim, ClaimBatch, ClaimType, Phase, Tariff
from claims.tariffs import ensure_national_tariffs
from families.models import AccessLog, Family, Membership, Person
from outcomes.models import Evaluation
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/reports/returns/"
EXPORTERS = ["programme_manager", "data_officer"]
READ_ONLY = ["team_manager", "auditor"]
REFUSED = ["keyworker", "administrator"]


def person(first, last, *, dob, sex=Person.Sex.FEMALE, ni=""):
    return Person.objects.create(
        reference=f"P-{first}{last}"[:20],
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        sex=sex,
        ni_number=ni,
    )


def member(family, who, *, start=date(2015, 4, 1), end=None, role=Membership.Role.ADULT):
    return Membership.objects.create(
        family=family,
        person=who,
        role=role,
        start_date=start,
        end_date=end,
        end_reason="Moved out" if end else "",
    )


@pytest.fixture
def households(db):
    attached = f.AttachedFamilyFactory(
        reference="F-600001",
        name="Okafor",
        address="12 Rose Hill\nOxford",
        postcode="OX4 4XP",
        attached_on=date(2015, 5, 1),
    )
    member(attached, person("Ada", "Okafor", dob=date(1984, 2, 3), ni="AB123456C"))
    member(
        attached,
        person("Ben", "Okafor", dob=date(2008, 6, 7), sex=Person.Sex.MALE),
        role=Membership.Role.CHILD,
    )
    # Left the household before the family was attached: not in the programme's household.
    member(
        attached,
        person("Carl", "Okafor", dob=date(1980, 1, 1), sex=Person.Sex.MALE),
        end=date(2015, 4, 20),
    )
    closed = f.AttachedFamilyFactory(
        reference="F-600002",
        name="Hughes",
        attached_on=date(2015, 6, 1),
        status=Family.Status.CLOSED,
        closed_on=date(2016, 6, 1),
        closure_reason=Family.ClosureReason.MOVED_AWAY,
    )
    member(closed, person("Dee", "Hughes", dob=date(1990, 9, 9), ni="CD654321A"))
    identified = f.FamilyFactory(reference="F-600003", name="Price")
    member(identified, person("Eve", "Price", dob=date(1991, 1, 1)))
    return {"attached": attached, "closed": closed, "identified": identified}


def export(client, purpose):
    return client.post(URL, {"purpose": purpose})


# --- who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [*((r, 200) for r in EXPORTERS + READ_ONLY), *((r, 403) for r in REFUSED)],
)
def test_role_against_the_returns_page(request, client_for, role, status):
    response = client_for(request.getfixturevalue(role)).get(URL)
    assert response.status_code == status
    if status == 200:
        may_export = role in EXPORTERS
        assert (b'name="purpose"' in response.content) is may_export


@pytest.mark.parametrize("role", READ_ONLY + REFUSED)
def test_only_programme_managers_and_data_officers_may_export(
    request, client_for, households, role
):
    response = export(client_for(request.getfixturevalue(role)), "National impact study")
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


# --- the identifier extract -------------------------------------------------------------------------


def test_the_extract_is_refused_without_a_purpose(client_for, data_officer, households):
    response = export(client_for(data_officer), "   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_purpose"' in html
    assert "Enter why you are exporting the identifiers" in html
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.exists()


def test_a_purpose_over_the_limit_is_refused(client_for, data_officer, households):
    response = export(client_for(data_officer), "x" * 251)
    assert response.status_code == 400
    assert "250 characters or fewer" in response.content.decode()
    assert export(client_for(data_officer), "x" * 250).status_code == 200


def test_the_extract_lists_the_programme_families_people(client_for, programme_manager, households):
    response = export(client_for(programme_manager), "Impact study return, October 2016")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "national-impact-study-identifiers-" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "Family reference",
        "First name",
        "Last name",
        "Date of birth",
        "Sex",
        "Address",
        "Postcode",
        "National Insurance number",
    ]
    assert lines[1:] == [
        [
            "F-600001",
            "Ada",
            "Okafor",
            "1984-02-03",
            "Female",
            "12 Rose Hill Oxford",
            "OX4 4XP",
            "AB123456C",
        ],
        ["F-600001", "Ben", "Okafor", "2008-06-07", "Male", "12 Rose Hill Oxford", "OX4 4XP", ""],
        [
            "F-600002",
            "Dee",
            "Hughes",
            "1990-09-09",
            "Female",
            " ".join(households["closed"].address.split()),
            households["closed"].postcode,
            "CD654321A",
        ],
    ]


def test_every_export_is_logged_with_its_purpose_for_each_family(
    client_for, data_officer, households
):
    export(client_for(data_officer), "Impact study return, October 2016")
    logs = list(AccessLog.objects.order_by("family__reference"))
    assert [log.family.reference for log in logs] == ["F-600001", "F-600002"]
    for log in logs:
        assert log.user == data_officer
        assert log.via == AccessLog.Via.EXPORT
        assert log.action == "Exported identifiers for the national impact study"
        assert log.path == "Purpose: Impact study return, October 2016"


# --- the quarterly progress return ------------------------------------------------------------------


@pytest.fixture
def progress(households):
    plan = f.ShippedPlanFactory()
    attached, closed = households["attached"], households["closed"]
    # Outcomes first met in October 2016 (an earlier check found them not yet met).
    for as_of, claimable, current in [
        (date(2016, 9, 30), False, False),
        (date(2016, 10, 15), True, False),
        (date(2016, 12, 31), True, True),
    ]:
        Evaluation.objects.create(
            family=attached,
            plan_version=plan,
            as_of=as_of,
            result={"problems": []},
            evidence_digest="0" * 64,
            eligible=True,
            claimable_results=claimable,
            claimable_employment=False,
            is_current=current,
        )
    ensure_national_tariffs()
    batch = ClaimBatch.objects.create(reference="CB-9", as_of=date(2016, 12, 31))
    for fam, claim_type in [(attached, ClaimType.ATTACHMENT), (attached, ClaimType.RESULTS)]:
        tariff = Tariff.objects.filter(phase=Phase.PHASE_2, claim_type=claim_type).first()
        Claim.objects.create(
            batch=batch,
            family=fam,
            claim_type=claim_type,
            phase=Phase.PHASE_2,
            tariff=tariff,
            amount=tariff.amount,
        )
    tariff = Tariff.objects.filter(phase=Phase.PHASE_2, claim_type=ClaimType.ATTACHMENT).first()
    Claim.objects.create(
        batch=batch,
        family=closed,
        claim_type=ClaimType.ATTACHMENT,
        phase=Phase.PHASE_2,
        tariff=tariff,
        amount=tariff.amount,
        status=Claim.Status.WITHDRAWN,
    )
    return households


def test_the_quarterly_return_counts_each_quarter(client_for, auditor, progress):
    response = client_for(auditor).get(URL)
    table = response.context["quarterly"]
    found = {row[0]: row[1:] for row in table.rows}
    # attached, outcomes met, attachment claims, outcome claims, amount
    assert found == {
        "April to June 2015": [2, 0, 0, 0, Decimal("0.00")],
        "October to December 2016": [0, 1, 1, 1, Decimal("1800.00")],
    }
    assert table.totals == ["Total", 2, 1, 1, 1, Decimal("1800.00")]
    assert response.content.decode().count('<svg class="app-chart"') == 1


def test_the_quarterly_return_downloads(client_for, team_manager, progress):
    client = client_for(team_manager)
    params = {"table": "quarterly-progress-return"}
    response = client.get(URL, {**params, "download": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Quarter", "Families attached", "Families whose outcomes were met"]
    assert ["October to December 2016", "0", "1", "1", "1", "1800.00"] in lines
    response = client.get(URL, {**params, "download": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["April to June 2015", 2, 0, 0, 0, 0] in values


def test_the_extract_leaves_out_whoever_withdrew_consent_to_share(
    client_for, programme_manager, households
):
    from families.models import ConsentRecord

    ada = households["attached"].memberships.get(person__first_name="Ada").person
    ConsentRecord.objects.create(
        family=households["attached"],
        person=ada,
        given_by="Ada Okafor",
        share_with=[ConsentRecord.Party.SCHOOLS, ConsentRecord.Party.HEALTH],
        given_on=date(2015, 5, 1),
        withdrawn_on=date(2016, 2, 1),
        withdrawn_by="Ada Okafor",
        recorded_by=programme_manager,
    )
    response = export(client_for(programme_manager), "Impact study return, October 2016")
    names = [row[1] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    assert names == ["Ben", "Dee"]
