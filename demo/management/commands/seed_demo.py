"""Load the demo council: localities, teams, a user for every role and about 60 families.

Idempotent: `make run` calls it on every start. Existing users are brought back to the demo
password and role; families that exist (by reference) are left alone. Refuses to run with
DEBUG off unless --force, so a live service is not seeded by accident.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import council, seeding
from families.models import Family


class Command(BaseCommand):
    help = "Load the demo council, its users (one per role) and about 60 synthetic families."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force: bool = False, **options):
        if problem := seeding.refuse_in_production(force):
            raise CommandError(problem)
        started = time.perf_counter()
        with transaction.atomic():
            the_council = council.ensure_council()
            users = council.ensure_demo_users(the_council)
        created, references = seeding.seed_demo_families(the_council, users)
        ran = seeding.build_on_families(
            families=created, seed=council.DEMO_SEED, synthetic=False, stdout=self.stdout
        )
        seconds = time.perf_counter() - started

        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {len(created)} demo families."))
        else:
            self.stdout.write("The demo families were already loaded: nothing to add.")
        if ran:
            self.stdout.write(f"Built on the families: {', '.join(ran)}")
        summary = seeding.summarise(Family.objects.filter(reference__in=references))
        self.stdout.write(seeding.summary_text(summary, seconds))
        self.stdout.write("")
        self.stdout.write("Sign in at /sign-in/ with any of these demo users:")
        self.stdout.write(council.login_table(users))
