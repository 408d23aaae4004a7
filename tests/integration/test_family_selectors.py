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


def test_each_role_sees_its_own_scope(keyworker, other_keyworker, team_manager, other_team_manager, auditor):
    mine = f.FamilyFactory(lead_keyworker=keyworker)
    named = f.FamilyFactory(lead_keyworker=other_keyworker)
    FamilyWorker.objects.create(family=named, user=keyworker)
    theirs = f.FamilyFactory(lead_keyworker=other_keyworker)
    elsewhere = f.FamilyFactory(lead_keyworker=f.KeyworkerFactory(team=other_team_manager.team))
    assert set(family_scope(user=keyworker)) == {mine, named}
    assert set(family_scope(user=team_manager)) == {mine, named, theirs}
    assert set(family_scope(user=other_team_manager)) == {elsewhere}
    assert set(family_scope(user=auditor)) == {mine, named, theirs, elsewhere}
