"""Caseload scoping and search, through the selectors every page and endpoint uses."""

import pytest

from families.models import FamilyWorker
from families.selectors import CaseloadFilters, family_list, family_scope
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["OX16 5QT", "ox165qt", "OX16  5QT"])
def test_postcode_search_ignores_spaces_and_case(keyworker, query):
    family = f.FamilyFactory(lead_keyworker=keyworker, postcode="OX16 5QT")
    f.FamilyFactory(lead_keyworker=keyworker, postcode="OX4 1AB")
    assert list(family_list(user=keyworker, filters=CaseloadFilters(q=query))) == [family]


def test_each_role_sees_its_own_scope(
    keyworker, other_keyworker, team_manager, other_team_manager, auditor
):
    mine = f.FamilyFactory(lead_keyworker=keyworker)
    named = f.FamilyFactory(lead_keyworker=other_keyworker)
    FamilyWorker.objects.create(family=named, user=keyworker)
    theirs = f.FamilyFactory(lead_keyworker=other_keyworker)
    elsewhere = f.FamilyFactory(lead_keyworker=f.KeyworkerFactory(team=other_team_manager.team))
    assert set(family_scope(user=keyworker)) == {mine, named}
    assert set(family_scope(user=team_manager)) == {mine, named, theirs}
    assert set(family_scope(user=other_team_manager)) == {elsewhere}
    assert set(family_scope(user=auditor)) == {mine, named, theirs, elsewhere}


def test_a_postcode_district_finds_that_district_only(keyworker):
    ox4 = f.FamilyFactory(lead_keyworker=keyworker, postcode="OX4 1AB")
    f.FamilyFactory(lead_keyworker=keyworker, postcode="OX44 7XY")
    assert list(family_list(user=keyworker, filters=CaseloadFilters(q="ox4"))) == [ox4]


def test_a_full_name_finds_the_family_of_that_member(keyworker):
    family = f.FamilyFactory(lead_keyworker=keyworker, name="Okafor")
    f.MembershipFactory(
        family=family, person=f.PersonFactory(first_name="Grace", last_name="Mensah")
    )
    other = f.FamilyFactory(lead_keyworker=keyworker, name="Grace")
    f.MembershipFactory(family=other, person=f.PersonFactory(first_name="Tom", last_name="Mensah"))
    assert list(family_list(user=keyworker, filters=CaseloadFilters(q="grace mensah"))) == [family]
    assert set(family_list(user=keyworker, filters=CaseloadFilters(q="Mens"))) == {family, other}
