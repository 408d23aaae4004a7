"""Reads of outcomes plans: the versions stored, which one is in force on a date, the term calendar.

Plans are not family records, so these reads are not scoped to a user; the views decide which
roles may see the plans pages.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from outcomes.engine import Plan, TermCalendar, load_plan
from outcomes.models import PlanActivation, PlanVersion, TermDate

_plans_lock = threading.Lock()
_plans: dict[str, Plan] = {}


def plan_version_list() -> QuerySet[PlanVersion]:
    """Every stored plan version with its activations (two queries whatever the number)."""
    return (
        PlanVersion.objects.select_related("uploaded_by")
        .prefetch_related(
            Prefetch(
                "activations",
                queryset=PlanActivation.objects.select_related("activated_by").order_by(
                    "-effective_from", "-activated_at", "-id"
                ),
            )
        )
        .order_by("slug", "-created_at", "-id")
    )


def plan_version_get(*, slug: str, version: str) -> PlanVersion:
    """One stored version by slug and version; PlanVersion.DoesNotExist when there is none."""
    return PlanVersion.objects.select_related("uploaded_by").get(slug=slug, version=version)


def activation_list() -> QuerySet[PlanActivation]:
    """Every activation, the one that decides first (latest date, then the most recent)."""
    return PlanActivation.objects.select_related("plan_version", "activated_by").order_by(
        "-effective_from", "-activated_at", "-id"
    )


def activation_in_force(*, on: date) -> PlanActivation | None:
    """The activation deciding the plan on a date: latest effective_from on or before it;
    of activations from the same date, the one made most recently wins."""
    return activation_list().filter(effective_from__lte=on).first()


def plan_in_force(*, on: date) -> PlanVersion | None:
    """The plan version in force on a date, or None when no plan was active then."""
    activation = activation_in_force(on=on)
    return activation.plan_version if activation else None


@dataclass(frozen=True)
class ActivationPeriod:
    """One stretch of time a version was (or will be) in force, for the plans page."""

    activation: PlanActivation
    plan_version: PlanVersion
    start: date
    end: date | None  # the day before the next effective date; None while open-ended


def activation_timeline() -> list[ActivationPeriod]:
    """Which version is in force from when to when, earliest first (one query).

    An activation overruled by a later activation from the same or an earlier date never
    takes effect and is left out.
    """
    deciding: dict[date, PlanActivation] = {}
    for activation in activation_list():  # most recent first within a date
        deciding.setdefault(activation.effective_from, activation)
    dates = sorted(deciding)
    periods = []
    for i, start in enumerate(dates):
        end = None
        if i + 1 < len(dates):
            end = date.fromordinal(dates[i + 1].toordinal() - 1)
        activation = deciding[start]
        periods.append(ActivationPeriod(activation, activation.plan_version, start, end))
    return periods


def engine_plan(plan_version: PlanVersion) -> Plan:
    """The engine's plan for a stored version, parsed once per process (versions never change)."""
    plan = _plans.get(plan_version.digest)
    if plan is None:
        with _plans_lock:
            plan = _plans.get(plan_version.digest)
            if plan is None:
                plan = load_plan(plan_version.yaml_text)
                _plans[plan_version.digest] = plan
    return plan


def term_calendar() -> TermCalendar:
    """English default term dates with the council's TermDate overrides (one query)."""
    overrides: dict[str, dict[str, tuple[date, date]]] = {}
    for term in TermDate.objects.all():
        overrides.setdefault(term.academic_year, {})[term.term] = (term.start_date, term.end_date)
    return TermCalendar(overrides)
