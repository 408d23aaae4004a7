"""The demo council and synthetic families: `seed_demo` and `generate_synthetic`.

Development and test only: this app is installed by the dev and test settings, never in
production, and it may use every product app (nothing in the product imports it).

Both commands build families from the same generator (`family_spec`), so the demo and the
benchmark data look alike: British names, Oxfordshire postcodes, households of different
shapes, valid UPNs and National Insurance numbers, problems with evidence, the services that
worked with the family, case notes and consent. Everything follows from a seed, so the same
seed gives the same families.

- `seed_demo_families` writes about 60 families through `families.services` with the
  relevant manager or keyworker as actor, so row history and timeline events exist, just as
  if people had typed them in.
- `generate_synthetic` writes with `bulk_create` in batches for speed. It BYPASSES per-row
  history (simple-history) and per-step events: each family gets one `FamilyEvent` saying it
  was generated. Use it for benchmarks and volume testing, not to show a timeline.

By subject:

- `council`: localities, teams and a demo user for every role
- `households`: the generator of families (`family_spec`): names, places, households
- `seeding`: the demo families, written through the services
- `synthetic`: synthetic families at scale, written with COPY
- `evidence`: each family's partner data and judgements, the plan in force, an evaluation
- `claim_batches`: tariffs, claim dates and claim batches at each stage
"""
