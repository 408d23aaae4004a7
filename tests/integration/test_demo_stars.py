"""The demo's Outcomes Stars step, loaded as of a day: three in four open families get a Family
Star Plus and their children a My Star, at baseline and (after three months) a review, all dated
on or before that day; loading again adds nothing. The step runs through `build_on_families`
as `seed_demo` calls it, with the other steps (tested elsewhere, and slow) left out."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest

from casework.models import StarReading
from demo import evidence as demo_evidence
from demo import history, seeding
from demo import plans as demo_plans
from demo import stars as demo_stars
from demo import team as demo_team
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)


def test_the_demo_has_stars_at_baseline_and_review(monkeypatch, keyworker):
    for module in (demo_team, demo_evidence, history, demo_plans):
        monkeypatch.setattr(module, "extend_demo", lambda **kwargs: None)
    families = []
    for number in range(8):
        attached_on = TODAY - dt.timedelta(days=400 if number < 4 else 30)
        family = f.AttachedFamilyFactory(
            reference=f"F-95{number:04d}",
            lead_keyworker=keyworker,
            identified_on=attached_on - dt.timedelta(days=20),
            attached_on=attached_on,
        )
        f.ChildMembershipFactory(family=family, person=f.ChildFactory())
        families.append(family)
    closed = f.AttachedFamilyFactory(
        lead_keyworker=keyworker,
        status="closed",
        closed_on=TODAY,
        closure_reason="outcomes_achieved",
    )
    steps = seeding.build_on_families(
        families=[*families, closed],
        seed=1,
        synthetic=False,
        stdout=io.StringIO(),
        today=TODAY,
    )
    assert "Outcomes Stars at baseline and review" in steps

    readings = StarReading.objects.select_related("definition", "family")
    starred = {r.family.reference for r in readings}
    assert len(starred) == 6  # three in four of the open families; not the closed one
    reviewed = {r.family.reference for r in readings if r.kind == "review"}
    assert reviewed == {"F-950000", "F-950001", "F-950002"}  # attached long enough, starred
    assert {r.definition.name for r in readings if r.kind == "review"} == {
        "Family Star Plus",
        "My Star",
    }
    for reading in readings:
        assert reading.family.attached_on < reading.read_on <= TODAY

    count = readings.count()
    demo_stars.extend_demo(
        families=families, rng=random.Random(2), synthetic=False, stdout=None, today=TODAY
    )
    assert StarReading.objects.count() == count
