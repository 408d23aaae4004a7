"""Partner data imports from real example files: households, every evidence kind, errors, matching."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from families.models import Family, FamilyEvent, Membership, Person
from families.services import system_actor
from outcomes.models import Evidence
from referrals.models import ImportFile, ImportRow
from referrals.services import import_file_apply, import_rows_retry_unmatched
from tests import factories as f

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partner"
EVIDENCE_KINDS = [
    "school_attendance",
    "exclusions",
    "offences",
    "asb_incidents",
    "domestic_abuse_callouts",
    "benefit_spells",
    "employment_spells",
    "work_activity",
    "neet_status",
    "child_plans",
    "treatment",
    "member_flags",
]


def run(kind: str, filename: str, *args: str) -> str:
    out = io.StringIO()
    call_command("import_partner_data", kind, str(FIXTURES / filename), *args, stdout=out)
    return out.getvalue()


def apply(
    kind: str, content: str, *, partial: bool = False, filename: str = "partner.csv"
) -> ImportFile:
    return import_file_apply(
        actor=system_actor(),
        kind=kind,
        filename=filename,
        content=content.encode(),
        partial=partial,
    )


@pytest.fixture
def caseload(keyworker):
    """The households example file applied: three families, eight people."""
    f.LocalityFactory(name="Banbury")
    run("households", "households.csv", "--source", "Early Help case system")
    return {p.reference: p for p in Person.objects.all()}


# --- households -----------------------------------------------------------------------------------


def test_households_brings_a_caseload_across(caseload, keyworker):
    baker, okafor, hughes = (
        Family.objects.get(reference=r) for r in ("F-100001", "F-100002", "F-100003")
    )
    assert (baker.status, baker.identified_on, baker.attached_on) == (
        "attached",
        dt.date(2015, 3, 2),
        dt.date(2015, 4, 13),
    )
    assert baker.lead_keyworker == keyworker and baker.team == keyworker.team
    assert (baker.name, baker.postcode, baker.locality.name) == ("Baker", "OX4 1AB", "Banbury")
    assert okafor.status == "identified" and okafor.lead_keyworker is None
    assert (hughes.status, hughes.closed_on, hughes.closure_reason) == (
        "closed",
        dt.date(2015, 12, 18),
        "outcomes_achieved",
    )
    assert hughes.lead_keyworker == keyworker  # named by email
    dean = Membership.objects.get(person__reference="P-100004")
    assert (dean.family, dean.start_date, dean.end_date, dean.role) == (
        baker,
        dt.date(2014, 1, 6),
        dt.date(2015, 9, 30),
        "adult",
    )
    liam = caseload["P-100002"]
    assert (liam.upn, liam.sex, liam.date_of_birth) == (
        "G931200115001",
        "male",
        dt.date(2004, 10, 2),
    )
    kinds = set(baker.events.values_list("kind", flat=True))
    assert {
        FamilyEvent.Kind.CREATED,
        FamilyEvent.Kind.ATTACHED,
        FamilyEvent.Kind.MEMBER_ADDED,
        FamilyEvent.Kind.MEMBER_LEFT,
    } <= kinds
    assert baker.history.count() >= 2  # created, then attached: row history kept


def test_households_again_applies_nothing(caseload):
    families, people, memberships, events = (
        Family.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        FamilyEvent.objects.count(),
    )
    output = run("households", "households.csv")
    assert "Applied: 0" in output and "Already held (unchanged): 8" in output
    assert (
        Family.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        FamilyEvent.objects.count(),
    ) == (families, people, memberships, events)


def test_households_with_unknown_keyworker_names_the_row(keyworker):
    f.LocalityFactory(name="Banbury")
    content = (
        "family_ref,person_ref,first_name,last_name,role,family_status,attached_on,keyworker\n"
        "F-200001,P-200001,Ann,Lee,adult,attached,2015-05-01,kw_nobody\n"
    )
    stored = apply("households", content)
    assert stored.status == "rejected"
    assert stored.rows.get().errors == [
        {
            "column": "keyworker",
            "message": "No keyworker has the username or email kw_nobody: check the spelling",
        }
    ]
    assert not Family.objects.filter(reference="F-200001").exists()


# --- every evidence kind ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EVIDENCE_KINDS)
def test_every_kind_imports_from_its_example_file(caseload, kind):
    output = run(kind, f"{kind}.csv", "--source", "Partner")
    stored = ImportFile.objects.get(kind=kind)
    assert stored.status == "applied" and stored.rows_rejected == 0 and stored.rows_unmatched == 0
    assert stored.rows_applied == stored.rows_read == stored.rows_matched > 0
    assert f"Applied: {stored.rows_read}" in output
    evidence = Evidence.objects.filter(kind=kind)
    assert evidence.count() == stored.rows_read
    for record in evidence:
        assert (
            record.source == "partner_file"
            and record.import_file_id == stored.pk
            and record.import_row >= 2
        )
        row = stored.rows.get(row_number=record.import_row)
        assert row.evidence_id == record.pk and row.matched_person == record.person


def test_example_values_are_stored_as_the_rules_read_them(caseload):
    run("school_attendance", "school_attendance.csv")  # saved with a byte-order mark
    run("benefit_spells", "benefit_spells.csv")
    liam = caseload["P-100002"]
    autumn = Evidence.objects.get(kind="school_attendance", person=liam, data__term="autumn")
    assert autumn.data == {
        "academic_year": "2014/15",
        "term": "autumn",
        "possible_sessions": 140,
        "absent_sessions": 24,
        "school": "Cherwell School",
    }
    dean_jsa = Evidence.objects.get(kind="benefit_spells", person=caseload["P-100004"])
    assert dean_jsa.data["out_of_work"] is True  # blank: the default
    assert (dean_jsa.event_date, dean_jsa.end_date) == (dt.date(2014, 6, 16), dt.date(2015, 8, 2))
    extra = ImportRow.objects.get(file__kind="school_attendance", row_number=2)
    assert extra.raw["attendance_officer"] == "J. Patel"  # unknown columns kept as received


def test_xlsx_first_sheet(caseload):
    output = run("offences", "offences.xlsx")
    assert "Applied: 2" in output
    robbery = Evidence.objects.get(kind="offences", person=caseload["P-100008"])
    assert robbery.data == {
        "offence_date": "2015-04-02",
        "proven": True,
        "serious": True,
        "description": "Robbery",
    }
    assert ImportRow.objects.get(file__kind="offences", row_number=2).raw["Officer"] == "PC 1234"


def test_reimporting_the_same_file_applies_nothing(caseload):
    run("offences", "offences.csv")
    second = run("offences", "offences.csv")
    assert "Applied: 0" in second and "Already held (unchanged): 3" in second
    assert Evidence.objects.filter(kind="offences").count() == 3
    assert ImportFile.objects.filter(kind="offences").count() == 2  # both files kept


def test_a_later_file_with_changed_values_makes_a_new_version(caseload):
    run("school_attendance", "school_attendance.csv")
    apply(
        "school_attendance",
        "upn,academic_year,term,possible_sessions,absent_sessions\nG931200115001,2014/15,autumn,140,10\n",
    )
    versions = Evidence.objects.filter(
        kind="school_attendance", person=caseload["P-100002"], data__term="autumn"
    ).order_by("version")
    assert [(v.version, v.is_current, v.data["absent_sessions"]) for v in versions] == [
        (1, False, 24),
        (2, True, 10),
    ]


# --- all or nothing ---------------------------------------------------------------------------------


def test_any_invalid_row_rejects_the_file_naming_row_and_column(caseload):
    with pytest.raises(CommandError) as error:
        run("school_attendance", "school_attendance_with_errors.csv")
    assert error.value.returncode == 1
    assert Evidence.objects.count() == 0
    stored = ImportFile.objects.get(kind="school_attendance")
    assert (stored.status, stored.rows_read, stored.rows_rejected, stored.rows_applied) == (
        "rejected",
        4,
        3,
        0,
    )
    assert stored.rows.get(row_number=2).status == "not_applied"
    assert stored.rows.get(row_number=3).errors == [
        {
            "column": "upn",
            "message": "Enter a UPN with the right check letter: check it against the school's record",
        }
    ]


def test_rejection_report_is_printed(caseload, capsys):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_partner_data",
            "school_attendance",
            str(FIXTURES / "school_attendance_with_errors.csv"),
            stdout=out,
        )
    text = out.getvalue()
    assert "Row 3, column upn: Enter a UPN with the right check letter" in text
    assert "Row 4, column term: Enter the term as one of: autumn, spring, summer" in text
    assert (
        "Row 5, column absent_sessions: The absent sessions must be no more than the possible sessions"
        in text
    )
    assert "Rejected: 3" in text


def test_partial_applies_the_valid_rows_and_keeps_the_rest(caseload):
    output = run("school_attendance", "school_attendance_with_errors.csv", "--partial")
    stored = ImportFile.objects.get(kind="school_attendance")
    assert (stored.status, stored.mode, stored.rows_applied, stored.rows_rejected) == (
        "partly_applied",
        "partial",
        1,
        3,
    )
    assert Evidence.objects.filter(kind="school_attendance").count() == 1
    kept = stored.rows.get(row_number=4)
    assert kept.status == "rejected" and kept.raw["term"] == "winter"
    assert "Row 4, column term" in output


def test_missing_column_rejects_the_file(caseload):
    stored = apply("offences", "person_ref,description\nP-100002,Theft\n")
    assert stored.status == "rejected"
    assert stored.file_errors == ["Row 1: add the column offence_date: this kind of file needs it"]
    assert stored.rows.get().status == "not_applied"


def test_unreadable_and_empty_files_are_rejected(caseload):
    assert apply("offences", "", filename="empty.csv").status == "rejected"
    broken = import_file_apply(
        actor=system_actor(),
        kind="offences",
        filename="broken.xlsx",
        content=b"PK\x03\x04 not a workbook",
    )
    assert broken.status == "rejected" and "Excel" in broken.file_errors[0]


def test_only_data_officers_and_administrators_import(keyworker, data_officer, administrator):
    with pytest.raises(PermissionDenied):
        import_file_apply(
            actor=keyworker, kind="offences", filename="x.csv", content=b"person_ref,offence_date\n"
        )
    for actor in (data_officer, administrator):
        stored = import_file_apply(
            actor=actor,
            kind="offences",
            filename="x.csv",
            content=b"person_ref,offence_date\nP-1,2015-01-01\n",
        )
        assert stored.uploaded_by == actor and stored.rows_unmatched == 1


def test_exit_status_and_bad_arguments(caseload):
    run("offences", "offences.csv")  # no exception: exit status 0
    with pytest.raises(CommandError):
        call_command("import_partner_data", "offences", str(FIXTURES / "missing.csv"))
    with pytest.raises((CommandError, SystemExit)):
        call_command("import_partner_data", "made_up_kind", str(FIXTURES / "offences.csv"))


# --- matching ---------------------------------------------------------------------------------------


def test_matching_by_each_identifier_in_order(caseload):
    liam, mia, kerry, sasha = (
        caseload[r] for r in ("P-100002", "P-100003", "P-100001", "P-100005")
    )
    content = (
        "person_ref,upn,ni_number,first_name,last_name,date_of_birth,postcode,offence_date\n"
        # person_ref wins over a UPN that belongs to someone else
        f"{liam.reference},{mia.upn},,,,,,2015-01-01\n"
        # an unknown reference falls through to the UPN
        f"P-999999,{mia.upn},,,,,,2015-01-02\n"
        # then the NI number
        f",,{kerry.ni_number},,,,,2015-01-03\n"
        # then name (case and spaces ignored) + date of birth + family postcode
        ",,,  SASHA ,okafor,1990-07-07,ox165qt,2015-01-04\n"
        # a wrong date of birth matches nobody
        ",,,Sasha,Okafor,1990-07-08,OX16 5QT,2015-01-05\n"
    )
    stored = apply("offences", content)
    rows = {row.row_number: row for row in stored.rows.all()}
    assert (rows[2].matched_person, rows[2].matched_by) == (liam, "person_ref")
    assert (rows[3].matched_person, rows[3].matched_by) == (mia, "upn")
    assert (rows[4].matched_person, rows[4].matched_by) == (kerry, "ni_number")
    assert (rows[5].matched_person, rows[5].matched_by) == (sasha, "name_dob_postcode")
    assert rows[6].status == "unmatched" and rows[6].matched_person is None
    assert (stored.rows_matched, stored.rows_unmatched, stored.rows_applied) == (4, 1, 4)


def test_unmatched_rows_are_kept_and_retried_when_people_are_added(keyworker):
    f.LocalityFactory(name="Banbury")
    output = run("asb_incidents", "asb_incidents.csv")
    assert "Unmatched (kept and retried when people are added): 3" in output
    assert Evidence.objects.count() == 0
    run("households", "households.csv")  # adds the people; their rows are retried
    stored = ImportFile.objects.get(kind="asb_incidents")
    assert (stored.rows_unmatched, stored.rows_matched, stored.rows_applied) == (0, 3, 3)
    assert Evidence.objects.filter(kind="asb_incidents").count() == 3
    assert import_rows_retry_unmatched(actor=system_actor()) == 0  # nothing left to retry


def test_retry_matches_a_person_added_later(family, data_officer):
    stored = apply(
        "exclusions", "upn,start_date,exclusion_type\nN931200115005,2015-01-10,fixed_term\n"
    )
    assert stored.rows_unmatched == 1
    child = family.memberships.get(role="child").person
    child.upn = "N931200115005"
    child.save()
    assert import_rows_retry_unmatched(actor=data_officer) == 1
    assert Evidence.objects.get().person == child
    assert ImportRow.objects.get().status == "applied"
