"""Generate N deterministic synthetic families for benchmarks and volume testing.

Dated from the day it runs (or --today): families attached 2 to 20 months ago, evidence up to
today, the nightly check on the last claim date and today. Same --seed on the same day, same
families: references (S<seed>-0000001...), names, dates, identifiers; on another day, the same
families with their dates moved to that day (pass --today to reproduce a day's). Family number k
depends only on (seed, k, day), so a larger N extends a smaller run. Families that already exist
are skipped; --replace deletes the seed's families first.

Fast by design: rows are written with bulk_create in batches, which BYPASSES per-row history
(simple-history) and the services' per-step timeline events. Each family gets one
FamilyEvent recording that it was generated. Families are allocated to keyworkers
synthetic_kw_001... (25 each, unusable passwords) in per-locality synthetic teams.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import seeding, synthetic
from demo.dates import parse_day
from families.models import Family


class Command(BaseCommand):
    help = "Generate N deterministic synthetic families (bulk writes, no per-row history)."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, required=True, help="How many families.")
        parser.add_argument(
            "--seed", type=int, default=1, help=f"0 to {synthetic.SYNTHETIC_MAX_SEED} (default 1)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Families per bulk write (default 1000)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete this seed's families first."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run outside the development settings (a demo or test environment).",
        )
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help="Date the families as if generated on this day, YYYY-MM-DD (default: today).",
        )

    def handle(
        self,
        *args,
        families: int,
        seed: int,
        batch_size: int,
        replace: bool,
        force: bool,
        today: date | None = None,
        **options,
    ):
        if problem := seeding.refuse_in_production(force):
            raise CommandError(problem)
        if families < 0:
            raise CommandError("--families must be 0 or more")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        if not 0 <= seed <= synthetic.SYNTHETIC_MAX_SEED:
            raise CommandError(f"--seed must be between 0 and {synthetic.SYNTHETIC_MAX_SEED}")
        today = today or timezone.localdate()
        result = synthetic.generate_synthetic(
            count=families,
            seed=seed,
            batch_size=batch_size,
            replace=replace,
            stdout=self.stdout,
            today=today,
        )
        started = time.perf_counter()
        ran = seeding.build_on_families(
            families=result.created, seed=seed, synthetic=True, stdout=self.stdout, today=today
        )
        extensions_seconds = time.perf_counter() - started
        if result.deleted:
            self.stdout.write(
                f"Deleted {result.deleted:,} families of seed {seed} first (--replace)."
            )
        rate = len(result.created) / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(result.created):,} synthetic families for seed {seed} "
                f"in {result.seconds:.2f}s ({rate:,.0f} families/second); "
                f"{result.skipped:,} already existed."
            )
        )
        if ran:
            self.stdout.write(
                f"Built on the families: {', '.join(ran)} ({extensions_seconds:.2f}s)"
            )
        summary = seeding.summarise(
            Family.objects.filter(reference__startswith=synthetic.synthetic_prefix(seed))
        )
        self.stdout.write(f"Seed {seed} now has:")
        self.stdout.write(seeding.summary_text(summary, result.seconds + extensions_seconds))
