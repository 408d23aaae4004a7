"""python manage.py activate_plan SLUG [--version V] [--effective-from YYYY-MM-DD] | --list

Makes a shipped or uploaded plan the one in force from a date (today when left out). Plans
shipped in outcomes/plans/ are stored first if they are not stored yet.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from families.services import system_actor
from outcomes.engine import PlanError
from outcomes.selectors.plans import activation_timeline, plan_in_force, plan_version_list
from outcomes.services.plans import ShippedPlanChanged, plan_activate, plans_load_shipped


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--effective-from must be a date as YYYY-MM-DD, got {value!r}"
        ) from None


class Command(BaseCommand):
    help = "Make an outcomes plan the one in force from a date, or list the plans the product has."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The interface names the plan version --version, which Django keeps for its own.
        kwargs["conflict_handler"] = "resolve"
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "slug", nargs="?", help="The plan's slug, for example oxfordshire-phase-2"
        )
        parser.add_argument(
            "--version",
            dest="plan_version",
            help="The version to activate (default: the latest stored)",
        )
        parser.add_argument(
            "--effective-from", dest="effective_from", help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--note", default="", help="Why the plan changes, for the record")
        parser.add_argument(
            "--list", action="store_true", help="List the plans and versions, and which is in force"
        )

    def handle(
        self,
        *args,
        slug=None,
        plan_version=None,
        effective_from=None,
        note="",
        list=False,
        **options,
    ):
        try:
            plans_load_shipped(actor=system_actor())
        except (PlanError, ShippedPlanChanged) as error:
            raise CommandError(str(error)) from None
        if list:
            self._list()
            return
        if not slug:
            raise CommandError("Give the plan's slug (see activate_plan --list), or --list")
        versions = [v for v in plan_version_list() if v.slug == slug]
        if not versions:
            known = sorted({v.slug for v in plan_version_list()})
            raise CommandError(f"No plan with slug {slug!r}. Plans: {', '.join(known) or 'none'}")
        if plan_version:
            chosen = next((v for v in versions if v.version == plan_version), None)
            if chosen is None:
                have = ", ".join(v.version for v in versions)
                raise CommandError(f"Plan {slug} has no version {plan_version!r}. Versions: {have}")
        else:
            chosen = versions[0]  # the most recently stored
        start = _date(effective_from) if effective_from else timezone.localdate()
        plan_activate(
            actor=system_actor(),
            plan_version=chosen,
            effective_from=start,
            note=note or "Activated with activate_plan",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{chosen.title} ({chosen.slug} {chosen.version}) is in force from {start.isoformat()}"
            )
        )

    def _list(self) -> None:
        today = timezone.localdate()
        in_force = plan_in_force(on=today)
        periods = {}
        for period in activation_timeline():
            periods.setdefault(period.plan_version.pk, []).append(period)
        versions = list(plan_version_list())
        if not versions:
            self.stdout.write("No plans are stored.")
            return
        self.stdout.write(f"{'slug':32} {'version':12} {'source':9} {'in force':40} title")
        for v in versions:
            spans = "; ".join(
                f"{p.start.isoformat()} to {p.end.isoformat() if p.end else 'now'}"
                for p in periods.get(v.pk, [])
            )
            marker = " (in force today)" if in_force and in_force.pk == v.pk else ""
            self.stdout.write(
                f"{v.slug:32} {v.version:12} {v.source:9} {(spans or '-') + marker:40} {v.title}"
            )
