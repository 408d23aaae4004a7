#!/usr/bin/env python
"""Time the programme reports pages at a synthetic size: median milliseconds and queries.

Usage: DATABASE_URL=postgres://... python bench/reports_bench.py [--families 10000] [--repeat 15]

Works in a throwaway database (`<your database>_bench`, created, migrated and dropped here, as
`bench/run.py` does). Generates N synthetic families with `demo.synthetic.generate_synthetic`
and what builds on them (`demo.seeding.build_on_families`: evidence, the nightly check's
evaluations, the identification targets), then times, through Django's test client as a
signed-in programme manager, the programme dashboard (whole council, and one year and team),
who worked with the families and the national returns page. Beside them it times /healthz (a
request that does no work) and one `SELECT 1`, measured in the same run, as the floor.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def median_ms(function, repeat: int) -> tuple[float, int]:
    """Median milliseconds over `repeat` runs after one warm-up, and the queries one run makes."""
    from django.db import connection

    # Counted by an execute wrapper: the test client's request_started resets connection.queries.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keepdb", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False
    name = f"{connection.settings_dict['NAME']}_bench"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    print(f"Bench database: {name} (created and migrated now)", flush=True)
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=args.keepdb, serialize=False
    )
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)
    return 0


def run(args) -> None:
    from demo import seeding, synthetic
    from families.models import Family

    if not Family.objects.filter(reference__startswith=synthetic.synthetic_prefix(args.seed)):
        started = time.perf_counter()
        result = synthetic.generate_synthetic(count=args.families, seed=args.seed, replace=True)
        seeding.build_on_families(
            families=result.created, seed=args.seed, synthetic=True, stdout=io.StringIO()
        )
        print(
            f"  {len(result.created):,} synthetic families and their evaluations in "
            f"{time.perf_counter() - started:.1f}s",
            flush=True,
        )
    time_pages(args.repeat)


def time_pages(repeat: int, report=None) -> None:
    """Time each reports page and the floor, median of `repeat` runs; print with `report` (from
    bench/run.py) or plainly."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from families.models import Family, Team, User

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from reports.models import IdentificationTarget

    # Bulk COPY leaves the planner without statistics (autovacuum would gather them in a while on
    # a real server); without them PostgreSQL misjudges the reports' grouped counts and spends
    # longer compiling them (JIT) than running them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    manager, _ = User.objects.get_or_create(
        username="bench_reports_pm", defaults={"role": User.Role.PROGRAMME_MANAGER}
    )
    client = Client()
    client.force_login(manager)
    # Signed in with both factors, as every user is (families.security): a confirmed
    # authenticator, marked verified in the session as django_otp.login does.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from families.security import AUTHENTICATOR_NAME, confirmed_authenticator

    device = confirmed_authenticator(manager) or TOTPDevice.objects.create(
        user=manager, name=AUTHENTICATOR_NAME, confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    team = Team.objects.order_by("name").first()
    year = (
        IdentificationTarget.objects.order_by("-year_start")
        .values_list("year_start", flat=True)
        .first()
    )
    families = Family.objects.count()
    print(f"  ({families:,} families in the database; median of {repeat} runs)")

    def get(url, params=None):
        def page():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return page

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    cases = [
        ("floor: SELECT 1", select_one),
        ("floor: GET /healthz", get("/healthz")),
        ("programme dashboard, whole council", get("/reports/dashboard/")),
        (
            "programme dashboard, one year and team",
            get(
                "/reports/dashboard/",
                {"year": year.year if year else "", "team": team.pk if team else ""},
            ),
        ),
        ("who worked with the families", get("/reports/services/")),
        ("national returns (quarterly return)", get("/reports/returns/")),
    ]
    for label, function in cases:
        ms, queries = median_ms(function, repeat)
        if report is not None:
            report(label, ms, "ms", f"({queries} queries)")
        else:
            print(f"  {label:<44} {ms:>10,.1f} ms  ({queries} queries)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
