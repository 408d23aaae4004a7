"""Claims for the demo council: tariffs, claim dates, a paid historical batch, a batch
awaiting audit and one in draft, so the demo shows the whole workflow.

Called by `seed_demo` (and `generate_synthetic`) after families, evidence and evaluations
exist (`demo.seeding`). Writes through `claims.services` with the demo's
people as actors, so the batch event log and row history read as if people did the work:
the data officer prepares, the auditor audits, and the second programme manager approves.
"""

from __future__ import annotations

import random
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from claims import services
from claims.models import ClaimDate, ClaimType
from claims.tariffs import ensure_national_tariffs
from families.models import Family, User

# Quarterly claim dates in the demo's phase 2 year (the scheduled job drafts on each).
DEMO_CLAIM_DATES = [date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31), date(2017, 3, 31)]
PAID_BATCH_AS_OF = date(2016, 9, 30)
PAID_ON = date(2016, 11, 30)
AUDIT_BATCH_AS_OF = date(2016, 12, 31)
DRAFT_BATCH_AS_OF = date(2017, 3, 31)


def _person(username: str, role: str) -> User | None:
    return (
        User.objects.filter(username=username, role=role).first()
        or User.objects.filter(role=role).order_by("pk").first()
    )


def extend_demo(*, families: list[Family], rng: random.Random, synthetic: bool, stdout) -> None:
    created = ensure_national_tariffs()
    for on in DEMO_CLAIM_DATES:
        ClaimDate.objects.get_or_create(date=on, defaults={"note": "Quarterly claim"})
    if not families or synthetic:
        if stdout is not None and created:
            stdout.write(f"Claims: {created} national tariffs")
        return
    preparer = _person("dataofficer", User.Role.DATA_OFFICER)
    manager = _person("programmemanager", User.Role.PROGRAMME_MANAGER)
    approver = (
        User.objects.filter(role=User.Role.PROGRAMME_MANAGER)
        .exclude(pk=getattr(manager, "pk", None))
        .order_by("pk")
        .first()
    )
    auditor = _person("auditor", User.Role.AUDITOR)
    if not (preparer and manager and approver and auditor):
        if stdout is not None:
            stdout.write(
                "Claims: no demo batches (the demo needs a data officer, two programme managers and an auditor)"
            )
        return
    ids = {f.pk for f in families}
    candidates = [row for row in services.claimable_candidates() if row["family_id"] in ids]
    rng.shuffle(candidates)
    candidates.sort(key=lambda row: not (row["claimable_results"] or row["claimable_employment"]))
    thirds = [candidates[i::3] for i in range(3)]
    with transaction.atomic():
        paid = _batch(
            preparer, PAID_BATCH_AS_OF, "Claim for the quarter to September 2016", thirds[0]
        )
        if paid is not None:
            services.claim_batch_submit_for_audit(actor=preparer, batch=paid)
            for claim in paid.claims.all():
                services.claim_verify(actor=auditor, claim=claim)
            services.claim_batch_sign_off(
                actor=auditor, batch=paid, note="All claims checked against the frozen evidence"
            )
            services.claim_batch_approve(actor=approver, batch=paid)
            services.claim_batch_submit_to_government(actor=preparer, batch=paid)
            due = sum(c.amount for c in paid.claims.all())
            services.claim_batch_record_payment(
                actor=manager,
                batch=paid,
                amount_received=due,
                paid_on=PAID_ON,
                note="Remittance from the Troubled Families Unit",
            )
        waiting = _batch(
            preparer, AUDIT_BATCH_AS_OF, "Claim for the quarter to December 2016", thirds[1]
        )
        if waiting is not None:
            services.claim_batch_submit_for_audit(actor=preparer, batch=waiting)
        draft = _batch(manager, DRAFT_BATCH_AS_OF, "Claim for the quarter to March 2017", thirds[2])
    if stdout is not None:
        made = [b for b in (paid, waiting, draft) if b is not None]
        stdout.write(
            "Claims: "
            + (
                ", ".join(f"{b.reference} {b.claims.count()} claims" for b in made)
                or "no claimable families"
            )
            + " (paid, awaiting audit, draft)"
        )


def _batch(actor: User, as_of: date, note: str, rows: list[dict]):
    """A batch of the families' claims the service allows on the claim date (a family whose
    outcomes were met after it is claimed for its attachment fee only)."""
    if not rows:
        return None
    batch = services.claim_batch_create(actor=actor, as_of=as_of, note=note)
    for row in rows:
        family = Family.objects.get(pk=row["family_id"])
        wanted = [] if row["has_attachment"] else [ClaimType.ATTACHMENT]
        if not row["has_outcome"] and (row["claimable_results"] or row["claimable_employment"]):
            wanted.append(
                ClaimType.RESULTS if row["claimable_results"] else ClaimType.CONTINUOUS_EMPLOYMENT
            )
        for kind in wanted:
            try:
                with transaction.atomic():
                    services.claim_add(actor=actor, batch=batch, family=family, claim_type=kind)
            except ValidationError:
                continue  # not claimable on this claim date
    if not batch.claims.exists():
        return None
    return batch
