"""Family lifecycle, membership dates and identifier rules, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import InvalidTransition
from families import services
from families.models import Family, FamilyEvent, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_created_family_gets_a_reference_and_its_problems(team_manager, keyworker):
    family = services.family_create(
        actor=team_manager,
        name="Okafor",
        identified_on=dt.date(2015, 4, 10),
        postcode="ox4 1ab",
        lead_keyworker=keyworker,
        problems=[
            ("school_attendance", "Attendance 79.5% over three terms"),
            ("crime_asb", "Two ASB incidents"),
        ],
    )
    assert family.reference.startswith("F-") and len(family.reference) == 8
    assert family.postcode == "OX4 1AB"
    assert family.team == keyworker.team
    assert sorted(family.problems.values_list("problem_id", flat=True)) == [
        "crime_asb",
        "school_attendance",
    ]
    assert family.events.filter(kind=FamilyEvent.Kind.PROBLEM_IDENTIFIED).count() == 2
    assert family.history.first().history_user == team_manager


def test_lifecycle_moves_identified_attached_closed(team_manager, keyworker):
    family = f.FamilyFactory(identified_on=dt.date(2015, 4, 1), lead_keyworker=keyworker)
    services.family_attach(actor=team_manager, family=family, attached_on=dt.date(2015, 5, 1))
    family.refresh_from_db()
    assert family.status == Family.Status.ATTACHED
    with pytest.raises(InvalidTransition):
        services.family_attach(actor=team_manager, family=family, attached_on=dt.date(2015, 5, 2))
    services.family_close(
        actor=team_manager, family=family, closed_on=dt.date(2016, 1, 5), reason="moved_away"
    )
    family.refresh_from_db()
    assert (family.status, family.closure_reason) == (Family.Status.CLOSED, "moved_away")
    with pytest.raises(InvalidTransition):
        services.family_close(
            actor=team_manager, family=family, closed_on=dt.date(2016, 1, 6), reason="other"
        )


def test_attachment_before_identification_is_refused_and_nothing_changes(team_manager, keyworker):
    family = f.FamilyFactory(identified_on=dt.date(2015, 4, 1), lead_keyworker=keyworker)
    with pytest.raises(ValidationError) as error:
        services.family_attach(actor=team_manager, family=family, attached_on=dt.date(2015, 3, 1))
    assert "attached_on" in error.value.message_dict
    family.refresh_from_db()
    assert family.status == Family.Status.IDENTIFIED and family.attached_on is None


def test_keyworker_cannot_attach(keyworker, family):
    unattached = f.FamilyFactory(lead_keyworker=keyworker)
    with pytest.raises(PermissionDenied):
        services.family_attach(actor=keyworker, family=unattached, attached_on=dt.date(2015, 5, 1))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("upn", "A801200115001", "check letter"),
        ("upn", "V80120011500", "a letter followed by 12 digits"),
        ("ni_number", "QQ123456C", "right format"),
        ("ni_number", "AB123456E", "right format"),
    ],
)
def test_invalid_identifiers_are_refused_and_nothing_is_saved(
    keyworker, family, field, value, message
):
    people_before = family.memberships.count()
    with pytest.raises(ValidationError) as error:
        services.member_add(
            actor=keyworker,
            family=family,
            first_name="Ella",
            last_name="Smith",
            role="child",
            start_date=dt.date(2015, 6, 1),
            date_of_birth=dt.date(2008, 1, 1),
            **{field: value},
        )
    assert message in " ".join(error.value.message_dict[field])
    assert family.memberships.count() == people_before


def test_valid_identifiers_are_normalised(keyworker, family):
    membership = services.member_add(
        actor=keyworker,
        family=family,
        first_name="Ella",
        last_name="Smith",
        role="child",
        start_date=dt.date(2015, 6, 1),
        date_of_birth=dt.date(2008, 1, 1),
        upn="v801200115001",
        ni_number="ab 12 34 56 c",
    )
    assert (membership.person.upn, membership.person.ni_number) == ("V801200115001", "AB123456C")


def test_membership_cannot_start_before_birth_or_in_the_future(keyworker, family):
    baby = f.PersonFactory(date_of_birth=dt.date(2016, 2, 1))
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=keyworker,
            family=family,
            person=baby,
            role="child",
            start_date=dt.date(2016, 1, 1),
        )
    assert "date of birth" in error.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=keyworker,
            family=family,
            person=baby,
            role="child",
            start_date=dt.date.today() + dt.timedelta(days=1),
        )


def test_dated_membership_answers_who_was_in_the_family_when(keyworker, family):
    child = f.ChildFactory(first_name="Maya", date_of_birth=dt.date(2010, 5, 5))
    membership = services.membership_add(
        actor=keyworker, family=family, person=child, role="child", start_date=dt.date(2015, 9, 1)
    )
    services.membership_end(
        actor=keyworker,
        membership=membership,
        end_date=dt.date(2016, 3, 31),
        reason="Moved to her father",
    )
    membership.refresh_from_db()
    assert not membership.is_current(dt.date(2015, 5, 1))  # not there at attachment
    assert membership.is_current(dt.date(2016, 1, 1))
    assert not membership.is_current(dt.date(2016, 9, 30))  # gone by the claim date
    # Rejoining later is a second membership, not an overlap.
    services.membership_add(
        actor=keyworker, family=family, person=child, role="child", start_date=dt.date(2016, 6, 1)
    )
    assert Membership.objects.filter(family=family, person=child).count() == 2
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=keyworker,
            family=family,
            person=child,
            role="child",
            start_date=dt.date(2016, 1, 1),
        )


def test_auditor_cannot_write_notes(auditor, family):
    with pytest.raises(PermissionDenied):
        services.case_note_add(actor=auditor, family=family, text="Looks fine")
    assert family.notes.count() == 0


def test_team_manager_cannot_attach_another_teams_family(other_team_manager, keyworker):
    family = f.FamilyFactory(lead_keyworker=keyworker)
    with pytest.raises(PermissionDenied):
        services.family_attach(
            actor=other_team_manager, family=family, attached_on=dt.date(2015, 5, 1)
        )


def test_keyworkers_ask_a_manager_to_create_a_family(keyworker):
    with pytest.raises(PermissionDenied):
        services.family_create(actor=keyworker, name="Patel", identified_on=dt.date(2015, 4, 1))
    assert not Family.objects.filter(name="Patel").exists()


def test_consent_for_a_person_outside_the_family_is_refused(keyworker, family):
    stranger = f.PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=keyworker,
            family=family,
            given_by="Jane Smith",
            share_with=["schools"],
            given_on=dt.date(2015, 6, 1),
            person=stranger,
        )
    assert "person" in error.value.message_dict
    assert family.consents.count() == 0
