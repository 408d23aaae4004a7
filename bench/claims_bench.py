#!/usr/bin/env python
"""Draft and snapshot a claim batch of N families: time and queries.

Usage: DATABASE_URL=postgres://... python bench/claims_bench.py [--families 5000] [--keepdb]

Works in a throwaway test database (`test_<your database>`, created, migrated and dropped
here). Makes N attached families whose evidence meets the Oxfordshire phase 2 plan and
evaluates them with the real engine (`demo.evaluations.claimable_families`: each current
evaluation is claimable and cites the family's four evidence records), then times
`claim_batch_draft` (2 claims a family: attachment and results) and
`claim_batch_submit_for_audit` (an evidence snapshot for every claim), counting queries.
It runs a tenth of the families first to show the queries grow per chunk of 1,000 claims,
not per claim.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

AS_OF = date(2016, 9, 30)  # the claim date: every family's results are met by then


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=5000)
    parser.add_argument("--keepdb", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=args.keepdb)
    try:
        for n in (max(1, args.families // 10), args.families):
            if args.profile:
                import cProfile
                import pstats

                profile = cProfile.Profile()
                profile.runcall(run, n, CaptureQueriesContext, connection)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            else:
                run(n, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)


def run(n: int, CaptureQueriesContext, connection) -> None:
    from claims import services
    from claims.models import EvidenceSnapshot
    from claims.tariffs import ensure_national_tariffs
    from demo.evaluations import claimable_families
    from families.models import Family, User

    ensure_national_tariffs()
    actor, _ = User.objects.get_or_create(
        username="bench_pm", defaults={"role": User.Role.PROGRAMME_MANAGER}
    )
    # Families from an earlier round are claimed already: drafting leaves them out.
    started = time.perf_counter()
    claimable_families(count=n, as_of=AS_OF, start=Family.objects.count())
    print(
        f"\n{n:,} families with evidence meeting the plan, evaluated in {time.perf_counter() - started:.1f}s"
    )

    with CaptureQueriesContext(connection) as draft_q:
        t0 = time.perf_counter()
        batch = services.claim_batch_draft(actor=actor, as_of=AS_OF, note="bench")
        draft_s = time.perf_counter() - t0
    claims = batch.claims.count()
    with CaptureQueriesContext(connection) as snap_q:
        t0 = time.perf_counter()
        services.claim_batch_submit_for_audit(actor=actor, batch=batch)
        snap_s = time.perf_counter() - t0
    snapshots = EvidenceSnapshot.objects.filter(claim__batch=batch).count()
    print(
        f"  draft:    {claims:,} claims in {draft_s:.2f}s, {len(draft_q.captured_queries)} queries"
    )
    print(
        f"  snapshot: {snapshots:,} snapshots in {snap_s:.2f}s, {len(snap_q.captured_queries)} queries"
    )
    print(
        f"  together: {draft_s + snap_s:.2f}s ({claims / (draft_s + snap_s):,.0f} claims a second)"
    )


if __name__ == "__main__":
    main()
