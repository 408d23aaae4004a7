"""python manage.py run_eligibility [--as-of YYYY-MM-DD] [--family REF] [--json]

Evaluates every open family (or one) against the plan in force on the date (today when left out)
and stores the results; repeating it with the same evidence changes nothing. --json prints the
evaluations in the API's shape (spec/interfaces.md section 2).
"""

from __future__ import annotations

import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from families.errors import DomainError
from families.models import Family
from outcomes.api.serializers import evaluation_payload
from outcomes.models import Evaluation
from outcomes.services.evaluations import (
    eligibility_run_finish,
    eligibility_run_start,
    families_evaluate,
    family_evaluate,
)


def _notify(changes, as_of: date) -> None:
    """Tell keyworkers about families that became claimable or fell back (the nightly does too)."""
    try:
        from claims.nightly import notify_claimable_changes
    except ImportError:  # claims not installed in this build
        return
    notify_claimable_changes(changes, as_of=as_of)


class Command(BaseCommand):
    help = "Evaluate open families (or one) against the plan in force and store the results."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--family", help="One family's reference, for example F-000123")
        parser.add_argument("--json", action="store_true", help="Print the evaluations as JSON")

    def handle(self, *args, as_of=None, family=None, json=False, **options):
        if as_of:
            try:
                on = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of must be a date as YYYY-MM-DD, got {as_of!r}") from None
        else:
            on = timezone.localdate()
        try:
            if family:
                self._one(family, on, json)
            else:
                self._all(on, json)
        except DomainError as error:
            raise CommandError(str(error)) from None

    def _one(self, reference: str, on: date, as_json: bool) -> None:
        family = Family.objects.filter(reference=reference).first()
        if family is None:
            raise CommandError(f"No family with reference {reference!r}")
        previous = Evaluation.objects.filter(family=family, is_current=True).first()
        was_claimable = bool(
            previous and (previous.claimable_results or previous.claimable_employment)
        )
        evaluation, changed = family_evaluate(family=family, as_of=on)
        evaluation.refresh_from_db()
        current = Evaluation.objects.filter(family=family, is_current=True).first()
        now_claimable = bool(
            current and (current.claimable_results or current.claimable_employment)
        )
        if now_claimable != was_claimable:
            _notify([(family.pk, now_claimable)], on)
        if as_json:
            self.stdout.write(_dumps(evaluation_payload(evaluation.result)))
            return
        result = evaluation.result
        claimable = (
            "claimable"
            if evaluation.claimable_results or evaluation.claimable_employment
            else "not claimable"
        )
        self.stdout.write(
            f"{family.reference} on {on.isoformat()} under {result['plan']['slug']} {result['plan']['version']}: "
            f"{'eligible' if evaluation.eligible else 'not eligible'}, {claimable}"
            f"{' (changed)' if changed else ' (no change)'}"
        )

    def _all(self, on: date, as_json: bool) -> None:
        ids = list(
            Family.objects.exclude(status=Family.Status.CLOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        started = time.monotonic()
        run = eligibility_run_start(as_of=on, trigger="command", total=len(ids))
        try:
            summary = families_evaluate(family_ids=ids, as_of=on, run=run, include_results=as_json)
        except Exception as error:
            eligibility_run_finish(run=run, error=repr(error), started=started)
            raise
        eligibility_run_finish(run=run, summary=summary, started=started)
        _notify(summary["claimable_changed"], on)
        if as_json:
            results = summary.pop("results")
            payload = {
                "as_of": on.isoformat(),
                "plan": summary["plan"],
                "evaluated": summary["evaluated"],
                "changed": summary["changed"],
                "failed": summary["failed"],
                "failures": {str(k): v for k, v in summary["failures"].items()},
                "evaluations": [evaluation_payload(results[i]) for i in ids if i in results],
            }
            self.stdout.write(_dumps(payload))
        else:
            run.refresh_from_db()
            rate = summary["evaluated"] / run.duration_seconds if run.duration_seconds else 0
            self.stdout.write(
                f"Evaluated {summary['evaluated']} families on {on.isoformat()} under "
                f"{summary['plan']['slug']} {summary['plan']['version']}: {summary['changed']} changed, "
                f"{len(summary['became_claimable'])} became claimable, "
                f"{len(summary['no_longer_claimable'])} no longer claimable, {summary['failed']} failed "
                f"({run.duration_seconds:.1f} s, {rate:.0f} families a second)"
            )
        for family_id, reason in summary["failures"].items():
            self.stderr.write(f"Family {family_id}: {reason}")
        if summary["failed"]:
            raise CommandError(f"{summary['failed']} families could not be evaluated")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
