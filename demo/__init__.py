"""The demo council and synthetic families: `seed_demo` and `generate_synthetic`.

Development and test only: this app is installed by the dev and test settings, never in
production, and it may use every product app (nothing in the product imports it).

Both commands build families from the same generator (`family_spec`), so the demo and the
benchmark data look alike: British, Polish, Pakistani, Turkish and Black British names (with the
letters they are written with: Zoë, Wójcik, Şahin), Oxfordshire postcodes, households of
different shapes, valid UPNs and National Insurance numbers, problems with evidence, the
services that worked with the family, case notes and consent.

The demo is set in the present: everything is dated from the day it is loaded (`today`, a
parameter of every builder, default `timezone.localdate()`; `--today` on both commands), so
every page reads true on any day (`demo.dates`). Everything follows from a seed and that day:
the same seed on the same day gives the same families; on another day, the same families with
their dates moved to that day.

- `seed_demo_families` writes about 60 families through `families.services` with the
  relevant manager or keyworker as actor, each step on the day it happened (`demo.clock`), so
  row history and timeline events exist, just as if people had typed them in.
- `generate_synthetic` writes with COPY in batches for speed. It BYPASSES per-row history
  (simple-history) and per-step events: each family gets one `FamilyEvent` saying it was
  generated. Use it for benchmarks and volume testing, not to show a timeline.

By subject:

- `council`: localities, teams and a demo user for every role
- `dates`: the demo's calendar, counted from `today` (attachment, claim dates, the plan's start)
- `clock`: the moment the services believe it is while the demo writes its past
- `households`: the generator of families (`family_spec`): names, places, households
- `seeding`: the demo families, written through the services; `build_on_families`, the steps
  that build on them (each reads when the work happened from the families' own dates)
- `synthetic`: synthetic families at scale, written with COPY
- `evidence`: each family's partner data and judgements, and the plan in force
- `history`: the nightly check's runs over the past year, their notifications, and the batches
- `claim_batches`: tariffs, claim dates and claim batches at each stage
"""
