"""The demo families' Outcomes Stars, dated from the day the demo is loaded and written through
`casework.services.star_reading_record` by each family's lead keyworker on the day of the
reading (`demo.clock`), so the family page, its timeline and the Outcome Stars report have
something to show.

Three in four open, attached families led by a keyworker (the same ones on every load) complete
Family Star Plus a few weeks after attachment, and the eldest child at home My Star; where three
months or more have passed since, a review follows, mostly a little better than the baseline
(sometimes the same, now and then a little worse). A family that already has a reading is left alone, so a re-run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from casework.models import StarDefinition, StarReading
from casework.selectors import star_definition_list
from casework.services import star_reading_record
from families.models import Family, Membership

from .clock import DemoClock


def _scores(definition: StarDefinition, rng: random.Random, start: dict | None) -> dict:
    low, high = definition.scale_min, definition.scale_max
    spread = high - low
    scores = {}
    for area in definition.areas.all():
        if start is None:
            scores[area.identifier] = rng.randint(low + spread // 10, low + spread // 2)
        else:
            step = rng.choice([-1, 0, 1, 1, 2, 2, 3] if spread > 5 else [-1, 0, 0, 1, 1, 2])
            scores[area.identifier] = max(low, min(high, start[area.identifier] + step))
    return scores


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """Baseline and review Stars for the new demo families (not for synthetic data)."""
    if synthetic or not families:
        return
    today = today or timezone.localdate()
    clock = DemoClock(today)
    stars = {d.subject: d for d in star_definition_list(active_only=True)}
    if not stars:
        return
    already = set(
        StarReading.objects.filter(family__in=families).values_list("family_id", flat=True)
    )
    written = 0
    open_families = (
        Family.objects.filter(
            pk__in=[f.pk for f in families],
            status=Family.Status.ATTACHED,
            lead_keyworker__isnull=False,
        )
        .select_related("lead_keyworker")
        .order_by("reference")
    )
    for place, family in enumerate(open_families):
        # Every fourth family has no Star yet: the same ones on every load, so a re-run adds none.
        if family.pk in already or place % 4 == 3 or family.attached_on is None:
            continue
        baseline_on = family.attached_on + timedelta(days=rng.randint(14, 30))
        if baseline_on > today:
            continue
        review_on = baseline_on + timedelta(days=rng.randint(84, 120))
        subjects: list = []
        if StarDefinition.Subject.FAMILY in stars:
            subjects.append((stars[StarDefinition.Subject.FAMILY], None))
        if StarDefinition.Subject.PERSON in stars:
            # The eldest child at home: one My Star a family keeps the demo quick to load.
            eldest = (
                Membership.objects.filter(
                    family=family, role=Membership.Role.CHILD, end_date__isnull=True
                )
                .select_related("person")
                .order_by("person__date_of_birth", "pk")
                .first()
            )
            if eldest is not None:
                subjects.append((stars[StarDefinition.Subject.PERSON], eldest.person))
        for definition, person in subjects:
            first = _scores(definition, rng, None)
            readings = [("baseline", baseline_on, first)]
            if review_on <= today:
                readings.append(("review", review_on, _scores(definition, rng, first)))
            for kind, on, scores in readings:
                with clock.at(on, 14):
                    star_reading_record(
                        actor=family.lead_keyworker,
                        family=family,
                        definition=definition,
                        person=person,
                        read_on=on,
                        kind=kind,
                        scores=scores,
                    )
        written += 1
    if stdout is not None and written:
        stdout.write(f"Outcomes Stars: {written} families with Family Star Plus and My Star")
