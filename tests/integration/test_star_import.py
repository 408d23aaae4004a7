"""Outcomes Star readings from a partner file (`outcome_stars`): the example file applied, the
same file again changing nothing, a correction, and each kind of bad row refusing the whole
file with "Row N, column X" problems."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import StarReading
from families.models import FamilyEvent, Person
from families.services import system_actor
from referrals.models import ImportFile
from referrals.selectors import import_error_lines
from referrals.services import import_file_apply
from tests import factories as f

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partner"
HEADER = (FIXTURES / "outcome_stars.csv").read_text().splitlines()[0]
FAMILY_ROW = "Family Star Plus,F-100001,,,2015-04-20,baseline,4,3,5,6,3,4,3,2,4,2,,,,,,"
MY_STAR_ROW = "My Star,,,G931200115001,2015-04-22,baseline,3,,,,,2,,,,,3,2,3,2,3,2"


def run(filename: str) -> str:
    out = io.StringIO()
    call_command("import_partner_data", "outcome_stars", str(FIXTURES / filename), stdout=out)
    return out.getvalue()


def apply(*rows: str) -> ImportFile:
    content = "\n".join([HEADER, *rows]) + "\n"
    return import_file_apply(
        actor=system_actor(), kind="outcome_stars", filename="stars.csv", content=content.encode()
    )


@pytest.fixture
def caseload(keyworker):
    f.LocalityFactory(name="Banbury")
    call_command(
        "import_partner_data", "households", str(FIXTURES / "households.csv"), stdout=io.StringIO()
    )
    return {p.reference: p for p in Person.objects.all()}


def test_the_example_file_records_each_reading(caseload):
    output = run("outcome_stars.csv")
    assert "Applied: 7" in output and "Rejected: 0" in output
    stored = ImportFile.objects.get(kind="outcome_stars")
    assert stored.status == "applied" and stored.rows_matched == 5  # the My Star rows
    family_star = StarReading.objects.get(definition__name="Family Star Plus", kind="review")
    assert family_star.family.reference == "F-100001" and family_star.person is None
    assert family_star.import_file_id == stored.pk
    scores = {s.area.identifier: s.score for s in family_star.scores.select_related("area")}
    assert scores["family_routine"] == 5 and len(scores) == 10
    liam = StarReading.objects.filter(person=caseload["P-100002"]).order_by("read_on")
    assert [(r.kind, r.family.reference) for r in liam] == [
        ("baseline", "F-100001"),
        ("review", "F-100001"),
    ]
    assert liam[0].scores.count() == 8
    # Ryan's family's case is closed: a partner file still brings its Stars across.
    ryan = StarReading.objects.filter(person=caseload["P-100008"])
    assert ryan.count() == 2 and ryan[0].family.status == "closed"


def test_the_same_file_again_changes_nothing(caseload):
    run("outcome_stars.csv")
    readings = list(StarReading.objects.values_list("pk", "updated_at"))
    events = FamilyEvent.objects.count()
    output = run("outcome_stars.csv")
    assert "Applied: 0" in output and "Already held (unchanged): 7" in output
    assert list(StarReading.objects.values_list("pk", "updated_at")) == readings
    assert FamilyEvent.objects.count() == events


def test_a_changed_score_corrects_the_reading(caseload):
    apply(FAMILY_ROW, MY_STAR_ROW)
    stored = apply(
        FAMILY_ROW.replace(",2015-04-20,baseline,4,", ",2015-04-20,baseline,7,"), MY_STAR_ROW
    )
    assert (stored.rows_applied, stored.rows_unchanged) == (1, 1)
    reading = StarReading.objects.get(definition__name="Family Star Plus")
    assert reading.scores.get(area__identifier="physical_health").score == 7
    assert StarReading.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (FAMILY_ROW.replace("Family Star Plus", "North Star"), "star",
         "Enter a Star the council uses (Family Star Plus, My Star)"),
        (FAMILY_ROW.replace("2015-04-20", "20/04/2015"), "reading_date",
         "Enter the date the Star was completed as a real date in the format YYYY-MM-DD, like 2015-09-30"),
        (FAMILY_ROW.replace("2015-04-20", "2099-04-20"), "reading_date",
         "The date the Star was completed must be today or in the past"),
        (FAMILY_ROW.replace("baseline", "final"), "reading_type",
         "Enter the reading type as baseline or review"),
        (FAMILY_ROW.replace("baseline,4,", "baseline,11,"), "physical_health",
         "Enter a score for Physical health as a whole number from 1 to 10"),
        (FAMILY_ROW.replace("baseline,4,", "baseline,0,"), "physical_health",
         "Enter a score for Physical health as a whole number from 1 to 10"),
        (FAMILY_ROW.replace("baseline,4,3,", "baseline,4,,"), "your_wellbeing",
         "Enter a score for Your well-being"),
        (MY_STAR_ROW.replace(",3,2,3,2,3,2", ",3,2,3,2,3,6"), "confidence_and_self_esteem",
         "Enter a score for Confidence and self-esteem as a whole number from 1 to 5"),
        (FAMILY_ROW.replace("F-100001", ""), "family_ref",
         "Enter the family reference: a Family Star Plus reading is about the whole family"),
        (FAMILY_ROW.replace("F-100001", "F-999999"), "family_ref",
         "No family has the reference F-999999: check the reference"),
        (MY_STAR_ROW.replace("My Star,,", "My Star,F-100002,"), "family_ref",
         "Liam Baker is not a member of family F-100002: check the reference"),
        (MY_STAR_ROW.replace("G931200115001", "G931200115009"), "upn",
         None),
    ],
)  # fmt: skip
def test_a_bad_row_refuses_the_whole_file(caseload, row, column, message):
    stored = apply(FAMILY_ROW, row)
    assert stored.status == "rejected"
    lines = import_error_lines(stored)
    if message is None:
        assert lines and lines[0].startswith(f"Row 3, column {column}: ")
    else:
        assert f"Row 3, column {column}: {message}" in lines
    assert not StarReading.objects.exists()


def test_a_child_nobody_knows_is_kept_unmatched(caseload):
    stored = apply(MY_STAR_ROW.replace(",,G931200115001,", ",P-555555,,"))
    assert stored.status == "applied" and stored.rows_unmatched == 1
    assert not StarReading.objects.exists()


def test_a_file_without_who_the_readings_are_about_is_refused(caseload):
    content = "star,reading_date,reading_type\nMy Star,2015-04-22,baseline\n"
    stored = import_file_apply(
        actor=system_actor(), kind="outcome_stars", filename="s.csv", content=content.encode()
    )
    assert stored.status == "rejected"
    assert import_error_lines(stored)[0].startswith("Row 1: add a column that says who")


def test_the_command_exits_non_zero_on_a_rejected_file(caseload, tmp_path):
    path = tmp_path / "stars.csv"
    path.write_text("\n".join([HEADER, FAMILY_ROW.replace("baseline", "final")]) + "\n")
    with pytest.raises(CommandError):
        call_command("import_partner_data", "outcome_stars", str(path), stdout=io.StringIO())
    assert not StarReading.objects.exists()


def test_a_child_whose_consent_to_share_was_withdrawn_gets_no_reading(caseload, keyworker):
    from families.models import ConsentRecord

    child = Person.objects.get(upn="G931200115001")
    family = child.memberships.first().family
    consent = ConsentRecord.objects.create(
        family=family,
        person=child,
        given_by="Parent",
        share_with=[ConsentRecord.Party.SCHOOLS],
        given_on=family.identified_on,
        recorded_by=keyworker,
    )
    # Consent still in force: the reading is recorded.
    assert apply(MY_STAR_ROW).status == "applied"
    assert StarReading.objects.filter(person=child).count() == 1
    StarReading.objects.all().delete()
    ConsentRecord.objects.filter(pk=consent.pk).update(withdrawn_on=family.identified_on)
    stored = apply(MY_STAR_ROW)
    assert stored.status == "rejected"
    assert any("consent to share was withdrawn" in line for line in import_error_lines(stored))
    assert not StarReading.objects.exists()
