"""python manage.py run_eligibility [--as-of YYYY-MM-DD] [--family REF] [--json]

Evaluates every open family (or one) against the plan in force on the date (today when left out)
and stores the results, through the same service as the nightly run (`eligibility_run`):
keyworkers are told what changed, and a whole run on a claim date drafts that date's batch.
Repeating it with the same evidence changes nothing. --json prints the evaluations in the API's
shape (docs/interfaces.md section 2).
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from families.models import Family
from families.services import system_actor
from outcomes.api.serializers import evaluation_payload
from outcomes.models import Evaluation
from outcomes.services.eligibility import eligibility_run


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
        _, totals = eligibility_run(
            actor=system_actor(), as_of=on, family_ids=[family.pk], include_results=as_json
        )
        self._report_failures(totals)
        if as_json:
            self.stdout.write(_dumps(evaluation_payload(totals["results"][family.pk])))
            return
        evaluation = Evaluation.objects.get(
            family=family, as_of=on, is_current=True, plan_version__slug=totals["plan"]["slug"]
        )
        claimable = (
            "claimable"
            if evaluation.claimable_results or evaluation.claimable_employment
            else "not claimable"
        )
        changed = family.pk in totals["changed_ids"]
        self.stdout.write(
            f"{family.reference} on {on.isoformat()} under {totals['plan']['slug']} {totals['plan']['version']}: "
            f"{'eligible' if evaluation.eligible else 'not eligible'}, {claimable}"
            f"{' (changed)' if changed else ' (no change)'}"
        )

    def _all(self, on: date, as_json: bool) -> None:
        run, totals = eligibility_run(actor=system_actor(), as_of=on, include_results=as_json)
        if run is None:
            raise CommandError(
                "Another eligibility check is running: try again when it has finished."
            )
        if as_json:
            results = totals["results"]
            payload = {
                "as_of": on.isoformat(),
                "plan": totals["plan"]
                or {"slug": run.plan_version.slug, "version": run.plan_version.version},
                "evaluated": totals["evaluated"],
                "changed": totals["changed"],
                "failed": totals["failed"],
                "failures": totals["failures"],
                "evaluations": [evaluation_payload(results[i]) for i in sorted(results)],
            }
            self.stdout.write(_dumps(payload))
        else:
            rate = totals["evaluated"] / run.duration_seconds if run.duration_seconds else 0
            self.stdout.write(
                f"Evaluated {totals['evaluated']} families on {on.isoformat()} under "
                f"{run.plan_version.slug} {run.plan_version.version}: {totals['changed']} changed, "
                f"{totals['became_claimable']} became claimable, "
                f"{totals['no_longer_claimable']} no longer claimable, {totals['failed']} failed "
                f"({run.duration_seconds:.1f} s, {rate:.0f} families a second)"
            )
        self._report_failures(totals)

    def _report_failures(self, totals) -> None:
        for family_id, reason in totals["failures"].items():
            self.stderr.write(f"Family {family_id}: {reason}")
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} families could not be evaluated")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
