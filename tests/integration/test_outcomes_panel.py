"""The family page's outcomes panel says each fact once, says when one alternative is enough,
shows problems the records point to but do not show in full, and reads a closed family as of its
closure date."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from families.services import family_close, system_actor
from outcomes.selectors.evaluations import default_as_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def panel(client, family, **query) -> str:
    url = reverse("families:detail", args=[family.reference])
    return client.get(url, query).content.decode()


def test_one_of_two_alternatives_is_said_to_be_enough(programme_manager, client_for):
    f.activate("oxfordshire-phase-2", "2015-04-01")
    family, adult, _ = f.household("F-000501")
    f.record(
        "benefit_spells", person=adult, benefit="ESA", start_date="2014-01-06", out_of_work=True
    )
    f.record(
        "domestic_abuse_callouts", family=family, callout_date="2015-07-01", child_present=True
    )
    html = panel(client_for(programme_manager), family, as_of="2016-02-01")
    # Worklessness: continuous employment or work-related activity, either of which is enough.
    assert "is enough" in html
    assert "One of these is enough" in html


def test_a_closed_family_is_read_as_of_its_closure_date(programme_manager, client_for):
    f.activate("oxfordshire-phase-2", "2015-04-01")
    family = f.oxfordshire_family()
    family_close(
        actor=system_actor(), family=family, closed_on=date(2016, 9, 30), reason="outcomes_achieved"
    )
    family.refresh_from_db()
    assert default_as_of(family=family) == date(2016, 9, 30)
    html = panel(client_for(programme_manager), family)
    assert "As of 30 September 2016" in html
    # An open family is read as of today.
    open_family = f.AttachedFamilyFactory()
    assert default_as_of(family=open_family) == date.today()


def test_a_problem_the_records_point_to_must_still_be_met(programme_manager, client_for):
    # Attendance below 90% in two of the three baseline terms, the third not on record: school
    # attendance is indicated, not identified, and the panel says a claim still needs it.
    f.activate("oxfordshire-phase-2", "2015-04-01")
    family, adult, child = f.household("F-000502")
    f.record(
        "domestic_abuse_callouts", family=family, callout_date="2015-07-01", child_present=True
    )
    for day in ("2015-03-10", "2015-06-10"):
        f.record("asb_incidents", person=adult, incident_date=day)
    for term in ("spring", "summer"):
        f.record(
            "school_attendance",
            person=child,
            academic_year="2014/15",
            term=term,
            possible_sessions=100,
            absent_sessions=20,
        )
    html = panel(client_for(programme_manager), family, as_of="2016-03-31")
    assert "Problems the records point to but do not yet show in full" in html
    assert "A results claim still needs each of them met" in html
