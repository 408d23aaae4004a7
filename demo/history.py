"""The demo council's past year, replayed through the real services, so the nightly check has
run, keyworkers have been told what changed, and claims have been made on the claim dates.

For `seed_demo`, in the order it happened (each step at its own moment, `demo.clock`):

1. the nightly eligibility check (`outcomes.services.eligibility.eligibility_run`, as the system)
   on each of the last four quarterly claim dates and every night of the last week, ending
   with today's, over the families open on that night. Each run stores evaluations, writes changes to
   the families' timelines and tells the lead keyworker when a family became claimable or fell
   back;
2. on the claim date three quarters ago, a batch that was audited, approved and paid eight weeks
   later (paying a results claim closes the family: outcomes achieved); on the claim date before
   last, a batch awaiting audit; on the last claim date, a draft. A family's outcome claim goes in
   the batch of the first claim date on which it was claimable and stayed claimable to today;
   attachment fees go in for families attached by the claim date;
3. notifications sent before the last claim date are marked read the day after they were sent;
   the newer ones are waiting to be read.

For `generate_synthetic` (volumes): the check on the last claim date and today, over the
generated families, so near misses and notifications exist for the synthetic keyworkers.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from families.models import Family, Notification, User
from families.services import notification_mark_read, system_actor
from outcomes.engine import evaluate
from outcomes.models import EligibilityRun
from outcomes.selectors.plans import engine_plan, plan_in_force, term_calendar
from outcomes.services import eligibility
from outcomes.snapshot import family_snapshots

from . import claim_batches
from .clock import DemoClock
from .dates import quarter_days_before

NIGHTS = 7  # the last week's nightly runs, ending with today's
QUARTERS = 4  # runs on the last four claim dates


@dataclass(frozen=True)
class Open:
    """When a family was open: from identification to closure."""

    identified_on: date
    attached_on: date | None
    closed_on: date | None
    keyworker_id: int | None

    def open_on(self, day: date) -> bool:
        return self.identified_on <= day and (self.closed_on is None or self.closed_on >= day)


def run_dates(today: date, *, synthetic: bool = False) -> list[date]:
    """The dates the nightly check ran on in the demo's past, oldest first, ending with today."""
    if synthetic:
        return sorted({*quarter_days_before(today, 1), today})
    nights = [today - timedelta(days=n) for n in range(NIGHTS)]
    return sorted({*quarter_days_before(today, QUARTERS), *nights})


def nightly_check(
    *, day: date, family_ids: list[int], clock: DemoClock, trigger: str = "schedule"
) -> EligibilityRun | None:
    """The night's eligibility check over these families, through the real service, at 02:15."""
    if not family_ids:
        return None
    with clock.at(day, 2, 15):
        run, _ = eligibility.eligibility_run(
            actor=system_actor(), as_of=day, trigger=trigger, family_ids=family_ids
        )
    return run


def _periods(family_ids: list[int]) -> dict[int, Open]:
    return {
        row[0]: Open(*row[1:])
        for row in Family.objects.filter(pk__in=family_ids).values_list(
            "pk", "identified_on", "attached_on", "closed_on", "lead_keyworker_id"
        )
    }


def _claimable_on(family_ids: list[int], days: list[date]) -> dict[int, dict[date, dict]]:
    """Each family's status on each day, read the way the family page reads it (the engine over
    the family's snapshot, against the plan in force that day): eligible, and the claims."""
    snapshots = family_snapshots(family_ids)
    terms = term_calendar()
    out: dict[int, dict[date, dict]] = defaultdict(dict)
    for day in days:
        version = plan_in_force(on=day)
        if version is None:
            continue
        plan = engine_plan(version)
        for family_id, snapshot in snapshots.items():
            result = evaluate(plan, snapshot, day, terms=terms).to_dict()
            out[family_id][day] = {"eligible": bool(result["eligible"]), **result["claimable"]}
    return out


def plan_batches(
    family_ids: list[int], periods: dict[int, Open], days: list[date], rng: random.Random
) -> list[claim_batches.BatchPlan]:
    """Which claims go in the paid, awaiting-audit and draft batches, on the last three claim
    dates before today. A family's outcome claim is made on a claim date on which it was open
    and claimable and stayed claimable ever after: in the paid batch, results claims for one
    family per keyworker (paid, the family's case closes: outcomes achieved); in the batch
    awaiting audit, about half of those still to claim; in the draft, the rest. Attachment fees
    go in for eligible families attached by the claim date, about half each time, the rest in
    the draft."""
    quarters = [d for d in days if d in set(quarter_days_before(days[-1], QUARTERS))][-3:]
    if len(quarters) < 3:
        return []
    status = _claimable_on(family_ids, days)
    plans = [
        claim_batches.BatchPlan(on, stage)
        for on, stage in zip(quarters, ("paid", "awaiting audit", "draft"), strict=True)
    ]
    outcome_claimed: set[int] = set()
    fee_claimed: set[int] = set()
    for plan in plans:
        on = plan.claim_date
        later = [d for d in days if d >= on]
        paid_keyworkers: set[int | None] = set()
        for family_id in sorted(family_ids, key=lambda pk: (rng.random(), pk)):
            period = periods[family_id]
            day_status = status[family_id].get(on)
            if day_status is None or not period.open_on(on) or not day_status["eligible"]:
                continue
            if period.attached_on is None or period.attached_on > on:
                continue
            kinds = ["results"] if plan.stage == "paid" else ["results", "continuous_employment"]
            outcome = next(
                (
                    claim_batches.OUTCOME_TYPES[kind]
                    for kind in kinds
                    if family_id not in outcome_claimed
                    and all(status[family_id].get(d, {}).get(kind) for d in later)
                ),
                None,
            )
            if plan.stage == "paid" and outcome:
                # Paid, the case closes as outcomes achieved: one open family per keyworker, and
                # only if another of theirs is claimable today, so each still has one to claim.
                if (
                    period.closed_on is not None
                    or period.keyworker_id in paid_keyworkers
                    or not any(
                        status[other][days[-1]]["results"]
                        for other in family_ids
                        if other != family_id
                        and periods[other].keyworker_id == period.keyworker_id
                        and periods[other].attached_on is not None
                        and periods[other].closed_on is None
                    )
                ):
                    outcome = None
                else:
                    paid_keyworkers.add(period.keyworker_id)
            elif plan.stage == "awaiting audit" and outcome and rng.random() < 0.5:
                outcome = None  # left for the next claim date
            last = plan.stage == "draft"
            fee = family_id not in fee_claimed and bool(outcome or last or rng.random() < 0.5)
            if outcome or fee:
                plan.claims[family_id] = (fee, outcome)
                if outcome:
                    outcome_claimed.add(family_id)
                if fee:
                    fee_claimed.add(family_id)
    return plans


def replay(
    *, families: list[Family], rng: random.Random, today: date, stdout, synthetic: bool
) -> None:
    """The nightly check's history over these families, and (for the demo) the claim batches."""
    clock = DemoClock(today)
    family_ids = sorted(f.pk for f in families)
    periods = _periods(family_ids)
    days = run_dates(today, synthetic=synthetic)
    people = None if synthetic else claim_batches.demo_people()
    batches = plan_batches(family_ids, periods, days, rng) if people else []
    by_date = {plan.claim_date: plan for plan in batches}
    made = []
    runs = 0
    for day in days:
        run = nightly_check(
            day=day,
            family_ids=[pk for pk in family_ids if periods[pk].open_on(day)],
            clock=clock,
        )
        runs += run is not None
        plan = by_date.get(day)
        if plan is None or people is None:
            continue
        batch = claim_batches.draft(plan, people, clock)
        if batch is None:
            continue
        if plan.stage in ("paid", "awaiting audit"):
            batch = claim_batches.submit_for_audit(batch, people, clock)
        if plan.stage == "paid":
            claim_batches.audit_approve_and_pay(batch, people, clock)
            # Paid for results, the families' cases closed: they are not open after that day.
            periods.update(_periods(list(plan.claims)))
        made.append((plan.stage, batch))
    _mark_old_notifications_read(
        clock, since=days[0], before=max(quarter_days_before(today, 1)[0], days[0])
    )
    if stdout is not None:
        stdout.write(
            f"Eligibility checks: {runs} runs from {days[0]:%-d %B %Y} to {days[-1]:%-d %B %Y}"
        )
        if made:
            stdout.write(
                "Claims: "
                + ", ".join(
                    f"{batch.reference} {stage} ({batch.claims.count()} claims)"
                    for stage, batch in made
                )
            )


def _mark_old_notifications_read(clock: DemoClock, since: date, before: date) -> None:
    """People read what they were told: notifications the replay sent before that day were read
    the day after they arrived (through the service, so only the user's own are touched)."""
    old = Notification.objects.filter(
        read_at__isnull=True,
        created_at__gte=clock.moment(since, 0),
        created_at__lt=clock.moment(before, 0),
    ).values_list("pk", "user_id", "created_at")
    by_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    for pk, user_id, created_at in old:
        by_day[(user_id, timezone.localtime(created_at).date())].append(pk)
    users = User.objects.in_bulk({user_id for user_id, _ in by_day})
    for (user_id, day), ids in sorted(by_day.items(), key=lambda item: item[0][1]):
        with clock.at(day + timedelta(days=1), 9):
            notification_mark_read(user=users[user_id], notification_ids=ids)


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """Tariffs and claim dates; then, for new families, the past year's checks and claims."""
    today = today or timezone.localdate()
    created = claim_batches.ensure_claim_dates(today)
    if stdout is not None and created:
        stdout.write(f"Claims: {created} national tariffs")
    if families:
        replay(families=families, rng=rng, today=today, stdout=stdout, synthetic=synthetic)


def catch_up(*, families, today: date | None = None, stdout=None) -> EligibilityRun | None:
    """On a later day than the demo was loaded: tonight's check over the demo's open families,
    if it has not run today, so near misses and claims read as of today."""
    today = today or timezone.localdate()
    claim_batches.ensure_claim_dates(today)
    if EligibilityRun.objects.filter(as_of=today).exists():
        return None
    ids = list(families.exclude(status=Family.Status.CLOSED).values_list("pk", flat=True))
    run = nightly_check(day=today, family_ids=ids, clock=DemoClock(today), trigger="command")
    if run is not None and stdout is not None:
        stdout.write(f"Eligibility check for {today:%-d %B %Y}: {run.families_evaluated} families")
    return run
