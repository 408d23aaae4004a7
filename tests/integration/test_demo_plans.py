"""The demo's family plans, loaded as of a day: every demo keyworker has a review due that week
and an overdue action, and the dates read true on that day."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from casework.models import Action, Assessment, Review
from casework.selectors import due_for_families, overdue_list
from demo import council, seeding
from families.models import Family, FamilyEvent, User

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)


@pytest.fixture
def demo():
    the_council = council.ensure_council()
    users = council.ensure_demo_users(the_council)
    created, _ = seeding.seed_demo_families(the_council, users, today=TODAY)
    steps = seeding.build_on_families(
        families=created, seed=council.DEMO_SEED, synthetic=False, stdout=io.StringIO(), today=TODAY
    )
    return created, steps


def test_every_demo_keyworker_has_a_review_due_this_week_and_an_overdue_action(demo):
    """Also: everything in the plans is dated on or before the day the demo was loaded."""
    created, steps = demo
    assert "early help assessments, family plans and reviews" in steps
    keyworkers = User.objects.filter(role=User.Role.KEYWORKER, led_families__in=created).distinct()
    assert keyworkers.count() == 4
    for keyworker in keyworkers:
        ids = list(Family.objects.filter(lead_keyworker=keyworker).values_list("pk", flat=True))
        due = due_for_families(user=keyworker, family_ids=ids, today=TODAY).values()
        this_week = [
            d
            for d in due
            if d.next_review_on and TODAY <= d.next_review_on <= TODAY + dt.timedelta(6)
        ]
        assert this_week, keyworker.username
        assert any(d.overdue_actions for d in due), keyworker.username
        assert overdue_list(user=keyworker, today=TODAY).action_count >= 1

    # Everything is dated on or before the day the demo was loaded.
    assert Assessment.objects.exists()
    assert not Assessment.objects.filter(completed_on__gt=TODAY).exists()
    assert not Action.objects.filter(done_on__gt=TODAY).exists()
    assert Action.objects.filter(done_on__isnull=False).exists()
    assert not Review.objects.filter(held_on__gt=TODAY).exists()
    assert not FamilyEvent.objects.filter(
        kind__in=["assessment", "plan", "review"], occurred_on__gt=TODAY
    ).exists()
    # A draft assessment for each keyworker's newest family; the rest completed.
    assert Assessment.objects.filter(completed_on__isnull=True).exists()
    assert Assessment.objects.filter(completed_on__isnull=False).exists()
