#!/usr/bin/env python
"""`make bench`: throughput figures for the family keywork service.

Runs every registered benchmark, in order, against a throwaway database
(`<your database>_bench`, created and migrated here, dropped at the end unless --keepdb),
so your own data is never touched. Each benchmark prints its figures as it goes.

Add a benchmark: write a function that takes the `Context` and prints figures with
`report(...)`, and register it with `@benchmark("name")`. Benchmarks run in the order they
are defined; later ones can use what earlier ones left in `ctx.state` (the synthetic
families from `generate_synthetic` are there for every benchmark after it).

    python bench/run.py                      # everything, 10,000 families
    python bench/run.py --families 2000      # smaller
    python bench/run.py --only caseload      # benchmarks whose name contains "caseload"
    python bench/run.py --families 100000 --only generate,workers   # the nightly check at scale
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


@dataclass
class Context:
    families: int
    seed: int
    repeat: int
    state: dict = field(default_factory=dict)


BENCHMARKS: list[tuple[str, Callable[[Context], None]]] = []


def benchmark(name: str):
    """Register a benchmark function under a name."""

    def register(function: Callable[[Context], None]):
        BENCHMARKS.append((name, function))
        return function

    return register


def report(label: str, value: float, unit: str, note: str = "") -> None:
    print(f"  {label:<48} {value:>12,.2f} {unit:<14} {note}".rstrip(), flush=True)


def timed(function: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs, and the queries one run makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


# --- benchmarks -----------------------------------------------------------------------------------


@benchmark("generate_synthetic")
def bench_generate_synthetic(ctx: Context) -> None:
    """Bulk synthetic families (COPY in batches of 1,000, no per-row history), then the demo extensions."""
    from demo import seeding, synthetic
    from families.models import Family

    result = synthetic.generate_synthetic(count=ctx.families, seed=ctx.seed, replace=True)
    families = Family.objects.filter(reference__startswith=synthetic.synthetic_prefix(ctx.seed))
    summary = seeding.summarise(families)
    rows = (
        summary["families"]
        + 2 * summary["members"]
        + summary["problems"]
        + summary["interventions"]
    )
    rows += summary["notes"] + summary["consents"] + summary["families"]  # one event each
    report("families generated", len(result.created), "families")
    report("time", result.seconds, "s")
    report("throughput", len(result.created) / result.seconds, "families/s", "(target >= 2,000)")
    report("rows written", rows, "rows", f"({rows / result.seconds:,.0f} rows/s)")
    out = io.StringIO()
    started = time.perf_counter()
    ran = seeding.build_on_families(
        families=result.created, seed=ctx.seed, synthetic=True, stdout=out
    )
    seconds = time.perf_counter() - started
    if ran:
        report(
            f"demo extensions ({', '.join(ran)})",
            seconds,
            "s",
            f"({len(result.created) / seconds:,.0f} families/s)",
        )
    ctx.state["synthetic_families"] = families


@benchmark("caseload selector")
def bench_caseload(ctx: Context) -> None:
    """First page of family_list for each kind of user, on the synthetic families."""
    from families import selectors
    from families.models import Family, User

    keyworker = User.objects.filter(username="synthetic_kw_001").first()
    if keyworker is None:
        print("  (no synthetic keyworkers: run generate_synthetic first)")
        return
    team_manager, _ = User.objects.get_or_create(
        username="bench_team_manager",
        defaults={"role": User.Role.TEAM_MANAGER, "team": keyworker.team},
    )
    programme_manager, _ = User.objects.get_or_create(
        username="bench_programme_manager", defaults={"role": User.Role.PROGRAMME_MANAGER}
    )
    total = Family.objects.count()
    cases = [
        ("keyworker, first page", keyworker, selectors.CaseloadFilters()),
        ("team manager, first page", team_manager, selectors.CaseloadFilters()),
        ("programme manager, first page", programme_manager, selectors.CaseloadFilters()),
        (
            "programme manager, attached, by name",
            programme_manager,
            selectors.CaseloadFilters(status="attached", sort="name"),
        ),
        (
            "programme manager, search 'smith'",
            programme_manager,
            selectors.CaseloadFilters(q="smith"),
        ),
        (
            "programme manager, search by postcode",
            programme_manager,
            selectors.CaseloadFilters(q="OX16"),
        ),
    ]
    print(f"  ({total:,} families in the database; median of {ctx.repeat} runs)")
    for label, user, filters in cases:

        def page(user=user, filters=filters):
            families = selectors.family_list(user=user, filters=filters)
            rows = list(families[:25])
            families.count()
            return rows

        ms, queries = timed(page, ctx.repeat)
        report(label, ms, "ms", f"({queries} queries)")


@benchmark("reports pages")
def bench_reports(ctx: Context) -> None:
    """The programme reports pages through the test client, beside /healthz and SELECT 1."""
    from bench.reports_bench import time_pages

    time_pages(ctx.repeat, report)


@benchmark("eligibility in-process")
def bench_eligibility_inline(ctx: Context) -> None:
    """The nightly check run in this process (the embedded default), every open family at a new date."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from families.services import system_actor
    from outcomes.services import eligibility

    cache.delete(eligibility.LOCK_KEY)
    started = time.perf_counter()
    # The synthetic families were generated as of today and checked today: a night before is new.
    as_of = timezone.localdate() - timedelta(days=1)
    run, _ = eligibility.eligibility_run(actor=system_actor(), as_of=as_of)
    seconds = time.perf_counter() - started
    report("families evaluated", run.families_evaluated, "families", f"({run.changes:,} changes)")
    report("time", seconds, "s", f"({run.families_evaluated / seconds:,.0f} families/s)")


def _worker_run(workers: int, as_of, chunk_size: int = 500) -> tuple[float, int]:
    """Start `workers` Celery worker processes on the bench database and time one nightly run."""
    import subprocess
    import tempfile

    from django.db import connection

    from config.celery_app import app
    from outcomes.models import EligibilityRun

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "ELIGIBILITY_CHUNK_SIZE": str(chunk_size),
    }
    log = tempfile.NamedTemporaryFile(prefix="bench-worker-", suffix=".log", delete=False)  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "-n",
                f"bench{i}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for i in range(workers)
    ]
    try:
        time.sleep(3)  # let the workers connect before the run is sent
        before = EligibilityRun.objects.filter(status="finished").count()
        started = time.perf_counter()
        app.send_task(
            "outcomes.tasks.nightly_eligibility",
            kwargs={"as_of": as_of.isoformat(), "trigger": "bench"},
        )
        while EligibilityRun.objects.filter(status="finished").count() == before:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        run = EligibilityRun.objects.order_by("-started_at").first()
        return seconds, run.families_evaluated
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@benchmark("eligibility on Celery workers")
def bench_eligibility_workers(ctx: Context) -> None:
    """The nightly check on real Celery workers (one, then two, solo pool each); needs REDIS_URL."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from outcomes.services import eligibility

    if not settings.REDIS_URL:
        print("  (skipped: set REDIS_URL to run the nightly check on real workers)")
        return
    today = timezone.localdate()
    for workers, as_of in ((1, today - timedelta(days=2)), (2, today - timedelta(days=3))):
        cache.delete(eligibility.LOCK_KEY)
        seconds, evaluated = _worker_run(workers, as_of)
        report(
            f"{workers} worker{'s' if workers > 1 else ''}: {evaluated:,} families",
            seconds,
            "s",
            f"({evaluated / seconds:,.0f} families/s)",
        )


# --- runner ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--families", type=int, default=10_000, help="synthetic families to generate (10,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=20, help="runs per timed read (median reported)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="run only benchmarks whose name contains one of these (comma-separated)",
    )
    parser.add_argument("--keepdb", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query logging overhead outside the measured query counts
    name = f"{connection.settings_dict['NAME']}_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    print(f"Bench database: {name} (created and migrated now)", flush=True)
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=args.keepdb, serialize=False
    )
    ctx = Context(families=args.families, seed=args.seed, repeat=args.repeat)
    try:
        for bench_name, function in BENCHMARKS:
            wanted = [part.strip() for part in args.only.split(",") if part.strip()]
            if wanted and not any(part in bench_name for part in wanted):
                continue
            print(f"\n{bench_name}: {(function.__doc__ or '').strip()}", flush=True)
            started = time.perf_counter()
            function(ctx)
            print(f"  ({time.perf_counter() - started:.1f}s)", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
