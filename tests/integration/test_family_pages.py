"""The caseload, the family page and the forms that record work with a family."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from families.identifiers import upn_check_letter
from families.models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    Family,
    FamilyProblem,
    Intervention,
    Membership,
    Person,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
FUTURE = TODAY + dt.timedelta(days=3)


def date_fields(name: str, value: dt.date | None) -> dict[str, str]:
    """What a user types into a GOV.UK date input."""
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def text(response) -> str:
    """The page as a user reads it: tags gone, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    assert match, "the page has no error summary"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match.group(0))))


def valid_upn(serial: str = "801200115001") -> str:
    return upn_check_letter(serial) + serial


# --- caseload ------------------------------------------------------------------------------------


def test_caseload_lists_the_keyworkers_families_with_what_they_need_to_know(
    client_for, keyworker, family, other_family
):
    f.FamilyProblemFactory(family=family, problem=f.problem("crime_asb"))
    response = client_for(keyworker).get("/families/")
    page = text(response)
    assert response.status_code == 200
    assert "F-900001" in page and "Smith" in page
    assert keyworker.display_name in page
    assert family.locality.name in page
    assert "Attached" in page and "1 May 2015" in page
    assert "Crime and anti-social behaviour" in page
    row = re.search(r"F-900001.*?</tr>", response.content.decode(), re.S).group(0)
    assert re.search(r"govuk-table__cell--numeric\">\s*2\s*<", row), "two current members"
    # Another keyworker's family is not in this caseload.
    assert "F-900002" not in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "okafor"}, {"F-910001"}),
        ({"q": "F-910002"}, {"F-910002"}),
        ({"q": "OX16 5QT"}, {"F-910002"}),
        ({"q": "ox165qt"}, {"F-910002"}),
        ({"status": "identified"}, {"F-910002"}),
        ({"problem": "domestic_abuse"}, {"F-910001"}),
        ({"locality": "bicester"}, {"F-910003"}),
        ({"keyworker": "bob"}, {"F-910003"}),
        ({"status": "closed"}, set()),
    ],
)
def test_caseload_search_and_filters(
    client_for, team_manager, keyworker, other_keyworker, query, expected
):
    banbury = f.LocalityFactory(name="Banbury")
    bicester = f.LocalityFactory(name="Bicester")
    one = f.AttachedFamilyFactory(
        reference="F-910001",
        name="Okafor",
        postcode="OX4 1AB",
        locality=banbury,
        lead_keyworker=keyworker,
    )
    f.FamilyFactory(
        reference="F-910002",
        name="Ahmed",
        postcode="OX16 5QT",
        locality=banbury,
        lead_keyworker=keyworker,
    )
    f.AttachedFamilyFactory(
        reference="F-910003",
        name="Evans",
        postcode="OX26 6HX",
        locality=bicester,
        lead_keyworker=other_keyworker,
    )
    f.FamilyProblemFactory(family=one, problem=f.problem("domestic_abuse"))
    params = dict(query)
    if params.get("locality") == "bicester":
        params["locality"] = bicester.pk
    if params.get("keyworker") == "bob":
        params["keyworker"] = other_keyworker.pk
    page = text(client_for(team_manager).get("/families/", params))
    shown = set(re.findall(r"F-91000\d", page))
    assert shown == expected
    if not expected:
        assert "No families match your search and filters" in page


def test_caseload_sorts_by_column_and_pages_by_25(client_for, programme_manager):
    for number in range(30):
        f.FamilyFactory(
            reference=f"F-92{number:04d}", name=f"Family {chr(65 + number % 26)}{number:02d}"
        )
    client = client_for(programme_manager)

    first = client.get("/families/")
    assert len(re.findall(r"F-92\d{4}</a>", first.content.decode())) == 25
    assert "Showing 1 to 25 of 30 families" in text(first)
    assert 'class="govuk-pagination"' in first.content.decode()

    second = client.get("/families/", {"page": 2})
    assert re.findall(r"F-92\d{4}(?=</a>)", second.content.decode()) == [
        f"F-92{n:04d}" for n in range(25, 30)
    ]

    by_name = client.get("/families/", {"sort": "name"})
    names = re.findall(
        r"<td class=\"govuk-table__cell\">(Family [A-Z]\d\d)</td>", by_name.content.decode()
    )
    assert names == sorted(names) and names[0] == "Family A00"
    assert 'aria-sort="ascending"' in by_name.content.decode()
    # The sort survives a search: the filter form carries it.
    assert 'name="sort" value="name"' in by_name.content.decode()


def test_a_stale_filter_value_still_shows_the_caseload(client_for, keyworker, family):
    response = client_for(keyworker).get("/families/", {"locality": "999999", "sort": "nonsense"})
    assert response.status_code == 200
    assert "F-900001" in text(response)


@pytest.mark.parametrize(
    "role, sees_button",
    [("keyworker", False), ("team_manager", True), ("programme_manager", True), ("auditor", False)],
)
def test_only_managers_get_the_create_a_family_button(request, client_for, role, sees_button):
    user = request.getfixturevalue(role)
    page = text(client_for(user).get("/families/"))
    assert ("Create a family" in page) is sees_button


# --- family page ---------------------------------------------------------------------------------


@pytest.fixture
def full_family(family, keyworker):
    """The Smith family with a former member, a problem, an intervention, consent and a note."""
    f.MembershipFactory(
        family=family,
        person=f.PersonFactory(first_name="Dan", last_name="Morris"),
        start_date=dt.date(2015, 4, 1),
        end_date=dt.date(2016, 1, 3),
        end_reason="Moved in with his brother",
    )
    f.FamilyProblemFactory(family=family, evidence="Attendance 79.5% across three terms")
    f.InterventionFactory(
        family=family, service=Intervention.Service.YOUTH_OFFENDING, worker_name="Sam Reid"
    )
    ConsentRecord.objects.create(
        family=family,
        given_by="Jane Smith",
        share_with=["schools", "health"],
        given_on=dt.date(2015, 5, 2),
        recorded_by=keyworker,
    )
    f.CaseNoteFactory(
        family=family, text="Home visit: Tom has a new uniform.", occurred_on=dt.date(2015, 6, 1)
    )
    return family


def test_family_page_shows_the_whole_record(client_for, keyworker, full_family):
    response = client_for(keyworker).get("/families/F-900001/")
    page = text(response)
    assert response.status_code == 200
    # Summary
    assert "Smith family" in page and "Attached" in page and "1 May 2015" in page
    assert keyworker.display_name in page and full_family.team.name in page
    assert full_family.postcode in page
    # Members, with ages today; the former member shown apart with their dates.
    child_age = f.ChildFactory.date_of_birth
    today = timezone.localdate()
    age = (
        today.year - child_age.year - ((today.month, today.day) < (child_age.month, child_age.day))
    )
    current, former = page.split("Former members")
    assert "Tom Smith" in current and "Jane Smith" in current and "Dan Morris" not in current
    assert re.search(rf"Tom Smith P-\d+ Child .*? {age} ", current)
    assert (
        "Dan Morris" in former and "3 Jan 2016" in former and "Moved in with his brother" in former
    )
    # Problems, interventions, consent, timeline.
    assert "School attendance" in page and "Attendance 79.5% across three terms" in page
    assert "Youth Offending Service" in page and "Sam Reid" in page and "Ongoing" in page
    assert "Schools and education, Health services" in page
    assert "Home visit: Tom has a new uniform." in page and "1 June 2015" in page
    assert 'id="outcomes"' in response.content.decode()


def test_family_page_offers_actions_only_to_those_who_may_take_them(
    client_for, keyworker, team_manager, auditor, full_family
):
    actions = [
        "Write a case note",
        "Add a member",
        "Record an intervention",
        "Record consent",
        "Record that they left",
    ]
    keyworker_page = text(client_for(keyworker).get("/families/F-900001/"))
    assert all(action in keyworker_page for action in actions)
    assert "Close the case" not in keyworker_page

    manager_page = text(client_for(team_manager).get("/families/F-900001/"))
    assert "Close the case" in manager_page
    assert "Attach to the programme" not in manager_page  # already attached

    auditor_page = text(client_for(auditor).get("/families/F-900001/"))
    assert not any(
        action in auditor_page for action in [*actions, "Close the case", "Record the end date"]
    )


def test_reading_the_family_page_is_logged(client_for, auditor, family):
    before = timezone.now()
    client_for(auditor).get("/families/F-900001/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.family, entry.via) == (auditor, family, AccessLog.Via.PAGE)
    assert entry.path == "/families/F-900001/"
    assert before <= entry.at <= timezone.now()


def test_the_caseload_logs_the_families_it_listed_and_a_form_the_family_it_shows(
    client_for, keyworker, family, other_family
):
    client = client_for(keyworker)
    client.get("/families/")
    listed = AccessLog.objects.get()
    assert (listed.family, listed.action) == (family, "listed families")  # not other_family
    client.get("/families/F-900001/notes/add/")
    assert AccessLog.objects.filter(family=family, path="/families/F-900001/notes/add/").exists()
    assert not AccessLog.objects.filter(family=other_family).exists()


# --- forms ---------------------------------------------------------------------------------------


def create_data(**overrides) -> dict:
    data = {
        "name": "Okafor",
        "address": "12 Mill Lane\nBanbury",
        "postcode": "ox16 5qt",
        "locality": "",
        "team": "",
        "lead_keyworker": "",
        "problems": ["school_attendance", "crime_asb"],
        "evidence_school_attendance": "Attendance 82% over three terms",
        "evidence_crime_asb": "",
        **date_fields("identified_on", dt.date(2015, 4, 10)),
    }
    data.update(overrides)
    return data


def test_team_manager_creates_a_family_with_its_problems(client_for, team_manager, keyworker):
    response = client_for(team_manager).post(
        "/families/create/", create_data(lead_keyworker=keyworker.pk), follow=True
    )
    family = Family.objects.get(name="Okafor")
    assert response.redirect_chain[-1][0] == f"/families/{family.reference}/"
    assert f"{family} created" in text(response)
    assert (
        family.postcode == "OX16 5QT"
        and family.lead_keyworker == keyworker
        and family.team == keyworker.team
    )
    evidence = dict(family.problems.values_list("problem_id", "evidence"))
    assert evidence == {"school_attendance": "Attendance 82% over three terms", "crime_asb": ""}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "", **date_fields("identified_on", None)}, "Enter the family name"),
        ({**date_fields("identified_on", None)}, "Enter the date the family was identified"),
        (
            {**date_fields("identified_on", FUTURE)},
            "The date identified must be today or in the past",
        ),
        ({"identified_on_month": "13"}, "Date identified must be a real date"),
        ({"postcode": "banbury"}, "Enter a real postcode, like OX4 1AB"),
    ],
)
def test_creating_a_family_with_mistakes_saves_nothing(
    client_for, team_manager, overrides, message
):
    response = client_for(team_manager).post("/families/create/", create_data(**overrides))
    assert response.status_code == 200
    assert message in error_summary(response)
    assert not Family.objects.exists() and not FamilyProblem.objects.exists()


def member_data(**overrides) -> dict:
    data = {
        "first_name": "Amira",
        "last_name": "Smith",
        "sex": "female",
        "role": "child",
        "relationship": "Daughter",
        "upn": valid_upn(),
        "ni_number": "",
        **date_fields("date_of_birth", dt.date(2010, 6, 1)),
        **date_fields("start_date", dt.date(2015, 4, 1)),
    }
    data.update(overrides)
    return data


def test_keyworker_adds_a_member(client_for, keyworker, family):
    response = client_for(keyworker).post(
        "/families/F-900001/members/add/", member_data(), follow=True
    )
    assert response.redirect_chain[-1][0] == "/families/F-900001/#members"
    assert "Amira Smith added to the household" in text(response)
    membership = Membership.objects.get(person__first_name="Amira")
    assert (membership.family, membership.role, membership.relationship) == (
        family,
        "child",
        "Daughter",
    )
    assert membership.person.upn == valid_upn()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"upn": "A12345"}, "Enter a UPN as a letter followed by 12 digits"),
        (
            {"upn": "Z801200115001" if valid_upn()[0] != "Z" else "Y801200115001"},
            "Enter a UPN with the right check letter",
        ),
        (
            {"role": "adult", "upn": "", "ni_number": "QQ 12 34 56 X"},
            "Enter a National Insurance number in the right format",
        ),
        (
            {**date_fields("start_date", dt.date(2009, 1, 1))},
            "The date they joined must be on or after their date of birth",
        ),
        (
            {**date_fields("date_of_birth", FUTURE), **date_fields("start_date", FUTURE)},
            "must be today or in the past",
        ),
        ({"first_name": "", "role": ""}, "Enter their first name"),
        ({"role": ""}, "Select whether they are an adult or a child"),
    ],
)
def test_adding_a_member_with_mistakes_saves_nothing(
    client_for, keyworker, family, overrides, message
):
    people = Person.objects.count()
    response = client_for(keyworker).post(
        "/families/F-900001/members/add/", member_data(**overrides)
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    assert Person.objects.count() == people
    assert family.memberships.count() == 2


def test_keyworker_records_that_a_member_left(client_for, keyworker, family):
    jane = family.memberships.get(person__first_name="Jane")
    url = f"/families/F-900001/members/{jane.pk}/end/"
    refused = client_for(keyworker).post(
        url, {**date_fields("end_date", dt.date(2014, 1, 1)), "reason": ""}
    )
    assert "The date they left must be on or after the date they joined" in error_summary(refused)
    jane.refresh_from_db()
    assert jane.end_date is None

    response = client_for(keyworker).post(
        url,
        {**date_fields("end_date", dt.date(2016, 2, 1)), "reason": "Moved to Leeds"},
        follow=True,
    )
    assert "Jane Smith has left the household" in text(response)
    jane.refresh_from_db()
    assert (jane.end_date, jane.end_reason) == (dt.date(2016, 2, 1), "Moved to Leeds")
    assert "Former members" in text(response)


def intervention_data(**overrides) -> dict:
    data = {
        "service": "school",
        "worker_name": "Mrs Ahmed",
        "notes": "Attendance panel",
        **date_fields("start_date", dt.date(2015, 5, 2)),
        **date_fields("end_date", None),
    }
    data.update(overrides)
    return data


def test_keyworker_records_and_ends_an_intervention(client_for, keyworker, family):
    client = client_for(keyworker)
    response = client.post(
        "/families/F-900001/interventions/add/", intervention_data(), follow=True
    )
    assert "School recorded" in text(response)
    intervention = Intervention.objects.get(family=family)
    assert (intervention.worker_name, intervention.end_date) == ("Mrs Ahmed", None)

    url = f"/families/F-900001/interventions/{intervention.pk}/end/"
    refused = client.post(url, date_fields("end_date", dt.date(2015, 1, 1)))
    assert "The end date must be on or after the start date" in error_summary(refused)
    ended = client.post(url, date_fields("end_date", dt.date(2015, 9, 1)), follow=True)
    assert "School has ended" in text(ended)
    intervention.refresh_from_db()
    assert intervention.end_date == dt.date(2015, 9, 1)
    # An ended intervention cannot be ended again.
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"service": ""}, "Select the service that worked with the family"),
        (
            {**date_fields("end_date", dt.date(2015, 1, 1))},
            "The end date must be on or after the start date",
        ),
        ({**date_fields("start_date", FUTURE)}, "The start date must be today or in the past"),
    ],
)
def test_recording_an_intervention_with_mistakes_saves_nothing(
    client_for, keyworker, family, overrides, message
):
    response = client_for(keyworker).post(
        "/families/F-900001/interventions/add/", intervention_data(**overrides)
    )
    assert message in error_summary(response)
    assert not Intervention.objects.exists()


def test_keyworker_writes_a_case_note(client_for, keyworker, family):
    response = client_for(keyworker).post(
        "/families/F-900001/notes/add/",
        {
            **date_fields("occurred_on", dt.date(2016, 2, 3)),
            "text": "Mum called: Tom is back at school.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/families/F-900001/#timeline"
    page = text(response)
    assert "Case note added" in page and "Mum called: Tom is back at school." in page
    note = CaseNote.objects.get()
    assert (note.author, note.occurred_on) == (keyworker, dt.date(2016, 2, 3))


@pytest.mark.parametrize(
    "data, messages",
    [
        (
            {"text": "", **date_fields("occurred_on", None)},
            ["Enter the note", "Enter the date of the note"],
        ),
        (
            {"text": "Called.", **date_fields("occurred_on", FUTURE)},
            ["The date of the note must be today or in the past"],
        ),
        (
            {
                "text": "Called.",
                "occurred_on_day": "3",
                "occurred_on_month": "",
                "occurred_on_year": "2016",
            },
            ["Date must include a month"],
        ),
    ],
)
def test_a_case_note_with_mistakes_saves_nothing(client_for, keyworker, family, data, messages):
    response = client_for(keyworker).post("/families/F-900001/notes/add/", data)
    summary = error_summary(response)
    assert all(message in summary for message in messages)
    assert "<title>Error: Write a case note" in response.content.decode()
    assert not CaseNote.objects.exists()


def test_keyworker_records_consent_for_one_member(client_for, keyworker, family):
    jane = family.memberships.get(person__first_name="Jane").person
    response = client_for(keyworker).post(
        "/families/F-900001/consent/add/",
        {
            "given_by": "Jane Smith",
            "person": str(jane.pk),
            "share_with": ["schools", "police"],
            "notes": "Signed the form at the home visit",
            **date_fields("given_on", dt.date(2015, 5, 2)),
        },
        follow=True,
    )
    assert "Consent recorded" in text(response)
    consent = ConsentRecord.objects.get()
    assert (consent.person, consent.share_with, consent.recorded_by) == (
        jane,
        ["schools", "police"],
        keyworker,
    )


def test_consent_for_the_whole_family_and_its_mistakes(client_for, keyworker, family):
    client = client_for(keyworker)
    url = "/families/F-900001/consent/add/"
    refused = client.post(
        url, {"given_by": "", "person": "family", **date_fields("given_on", FUTURE)}
    )
    summary = error_summary(refused)
    assert "Enter who gave consent" in summary
    assert "Select who the family agreed to share information with" in summary
    assert not ConsentRecord.objects.exists()

    client.post(
        url,
        {
            "given_by": "Jane Smith",
            "person": "family",
            "share_with": ["dwp"],
            **date_fields("given_on", dt.date(2015, 5, 2)),
        },
    )
    assert ConsentRecord.objects.get().person is None


def test_manager_attaches_an_identified_family(
    client_for, team_manager, keyworker, other_keyworker
):
    family = f.FamilyFactory(
        reference="F-930001", lead_keyworker=keyworker, identified_on=dt.date(2015, 4, 1)
    )
    client = client_for(team_manager)
    refused = client.post(
        "/families/F-930001/attach/",
        {"keyworker": other_keyworker.pk, **date_fields("attached_on", dt.date(2015, 3, 1))},
    )
    assert "The attachment date must be on or after the date identified" in error_summary(refused)
    family.refresh_from_db()
    assert family.status == Family.Status.IDENTIFIED

    response = client.post(
        "/families/F-930001/attach/",
        {"keyworker": other_keyworker.pk, **date_fields("attached_on", dt.date(2015, 5, 1))},
        follow=True,
    )
    assert "attached to the programme" in text(response)
    family.refresh_from_db()
    assert (family.status, family.attached_on, family.lead_keyworker) == (
        "attached",
        dt.date(2015, 5, 1),
        other_keyworker,
    )


def test_attaching_an_attached_family_says_why_not(client_for, team_manager, family):
    response = client_for(team_manager).post(
        "/families/F-900001/attach/",
        {"keyworker": family.lead_keyworker_id, **date_fields("attached_on", dt.date(2015, 6, 1))},
    )
    assert "A family that is attached cannot be attached" in error_summary(response)


def test_manager_closes_a_case(client_for, team_manager, keyworker, family):
    client = client_for(team_manager)
    refused = client.post(
        "/families/F-900001/close/", date_fields("closed_on", dt.date(2016, 3, 1))
    )
    assert "Select why the case is closing" in error_summary(refused)
    family.refresh_from_db()
    assert family.status == Family.Status.ATTACHED

    form = {"reason": "moved_away", **date_fields("closed_on", dt.date(2016, 3, 1))}
    # A valid form first says what closing will do; the case is still open.
    check = text(client.post("/families/F-900001/close/", form))
    assert "Close the Smith family's case" in check and "The case closes on 1 March 2016" in check
    family.refresh_from_db()
    assert family.status == Family.Status.ATTACHED
    response = client.post("/families/F-900001/close/", {**form, "confirm": "yes"}, follow=True)
    assert "The Smith family's case is closed" in text(response)
    family.refresh_from_db()
    assert (family.status, family.closure_reason) == ("closed", "moved_away")
    # A closed case can be read, not changed: no action links, and the forms refuse.
    page = text(client_for(keyworker).get("/families/F-900001/"))
    assert "This family's case is closed" in page and "Write a case note" not in page
    assert client_for(keyworker).get("/families/F-900001/notes/add/").status_code == 403
