"""Load the demo council: localities, teams, a user for every role and about 60 families.

Everything is dated from the day it runs (or --today): families attached 2 to 20 months ago,
the nightly check's runs over the past year ending with today's, claim batches on the recent
claim dates. Idempotent: `make run` calls it on every start. Existing users are brought back to
the demo password and role; families that exist (by reference) are left alone, and on a later
day than they were loaded, today's check runs over them if it has not. Refuses to run outside the
development settings (`make run`) unless --force, so a live service is not seeded by accident.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo import council, history, seeding
from demo.dates import parse_day
from families.models import Family


class Command(BaseCommand):
    help = "Load the demo council, its users (one per role) and about 60 synthetic families."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run outside the development settings (a demo or test environment).",
        )
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help="Date the demo as if loaded on this day, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, force: bool = False, today: date | None = None, **options):
        if problem := seeding.refuse_in_production(force):
            raise CommandError(problem)
        today = today or timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            the_council = council.ensure_council()
            users = council.ensure_demo_users(the_council)
        created, references = seeding.seed_demo_families(the_council, users, today=today)
        ran = seeding.build_on_families(
            families=created,
            seed=council.DEMO_SEED,
            synthetic=False,
            stdout=self.stdout,
            today=today,
        )
        demo_families = Family.objects.filter(reference__in=references)
        if not created:
            history.catch_up(families=demo_families, today=today, stdout=self.stdout)
        seconds = time.perf_counter() - started

        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {len(created)} demo families, as of {today:%-d %B %Y}."
                )
            )
        else:
            self.stdout.write("The demo families were already loaded: nothing to add.")
        if ran and created:
            self.stdout.write(f"Built on the families: {', '.join(ran)}")
        summary = seeding.summarise(demo_families)
        self.stdout.write(seeding.summary_text(summary, seconds))
        self.stdout.write("")
        self.stdout.write("Sign in at /sign-in/ with any of these demo users:")
        self.stdout.write(council.login_table(users))
