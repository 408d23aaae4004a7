"""Synthetic families at scale for benchmarks and volume testing.

`generate_synthetic` writes with PostgreSQL COPY in batches for speed. It bypasses per-row
history (simple-history) and per-step events: each family gets one `FamilyEvent` saying it was
generated. Use it for benchmarks and volume testing, not to show a timeline.

Deterministic for a seed and a day: family number k of seed S generated as of day D is the same
whenever it is generated (names, identifiers, household, dates); generated as of another day it
is the same family with its dates moved to that day (`today`, default today).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from itertools import accumulate
from operator import itemgetter

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, models, transaction
from django.utils import timezone

from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    Intervention,
    Membership,
    Person,
    Team,
    User,
)

from .council import LOCALITIES, Council, ensure_council
from .households import SYNTHETIC_MAX_SEED, FamilySpec, SyntheticIdentifiers, family_spec

# --- synthetic families at scale ----------------------------------------------------------------

SYNTHETIC_CASELOAD = 25  # families per synthetic keyworker
SYNTHETIC_STATUSES = (
    [Family.Status.IDENTIFIED, Family.Status.ATTACHED, Family.Status.CLOSED],
    [20, 55, 25],
)
SYNTHETIC_STATUS_CUM = list(accumulate(SYNTHETIC_STATUSES[1]))
LOCALITY_NAMES = list(LOCALITIES)


def synthetic_prefix(seed: int) -> str:
    return f"S{seed:03d}-"


def synthetic_reference(seed: int, number: int) -> str:
    """Family references that cannot collide with the demo's (F-) or the sequence's."""
    return f"{synthetic_prefix(seed)}{number:07d}"


def synthetic_spec(seed: int, number: int, today: date) -> FamilySpec:
    """Family `number` (1-based) of a seed as of a day: depends only on (seed, number, today),
    not on N."""
    rng = random.Random(seed * 100_000_007 + number)
    keyworker_index = (number - 1) // SYNTHETIC_CASELOAD
    locality = LOCALITY_NAMES[keyworker_index % len(LOCALITY_NAMES)]
    status = rng.choices(SYNTHETIC_STATUSES[0], cum_weights=SYNTHETIC_STATUS_CUM)[0]
    return family_spec(
        rng,
        reference=synthetic_reference(seed, number),
        locality=locality,
        status=status,
        ids=SyntheticIdentifiers(seed, number),
        today=today,
    )


def ensure_synthetic_keyworkers(council: Council, count: int) -> list[User]:
    """Keyworkers synthetic_kw_001... in per-locality synthetic teams, with unusable passwords."""
    teams = {}
    for name in LOCALITY_NAMES:
        teams[name], _ = Team.objects.get_or_create(
            name=f"{name} synthetic team", defaults={"locality": council.localities[name]}
        )
    usernames = [f"synthetic_kw_{index + 1:03d}" for index in range(count)]
    existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = []
    for index, username in enumerate(usernames):
        if username not in existing:
            missing.append(
                User(
                    username=username,
                    first_name="Synthetic",
                    last_name=f"Keyworker {index + 1:03d}",
                    role=User.Role.KEYWORKER,
                    team=teams[LOCALITY_NAMES[index % len(LOCALITY_NAMES)]],
                    password=make_password(None),
                )
            )
    User.objects.bulk_create(missing, batch_size=1000)
    existing.update(
        {u.username: u for u in User.objects.filter(username__in=[u.username for u in missing])}
    )
    return [existing[username] for username in usernames]


@dataclass
class SyntheticResult:
    created: list[Family]
    skipped: int
    deleted: int
    seconds: float


def _purge(queryset, path: tuple = ()) -> None:
    """Delete rows and, first, every row that refers to them, even through PROTECT.

    Only for regenerable synthetic data: other apps' demo extensions add evidence, evaluations
    and claims that protect the families they refer to.
    """
    model = queryset.model
    for relation in model._meta.related_objects:
        if getattr(relation, "on_delete", None) in (
            models.PROTECT,
            models.RESTRICT,
            models.CASCADE,
        ):
            related = relation.related_model
            if related in path or related is model:
                continue
            _purge(
                related._base_manager.filter(**{f"{relation.field.name}__in": queryset}),
                (*path, model),
            )
    queryset.delete()


def delete_synthetic(seed: int) -> int:
    """Remove one seed's synthetic families, their people and whatever refers to them."""
    families = Family.objects.filter(reference__startswith=synthetic_prefix(seed))
    people = Person.objects.filter(reference__startswith=synthetic_prefix(seed))
    with transaction.atomic():
        count = families.count()
        if count:
            _purge(families)
        _purge(people)
    return count


def generate_synthetic(
    *,
    count: int,
    seed: int,
    batch_size: int = 1000,
    replace: bool = False,
    stdout=None,
    today: date | None = None,
) -> SyntheticResult:
    """Write `count` synthetic families for `seed`, dated from `today` (default today), in bulk
    batches; existing ones are skipped.

    Bypasses services and per-row history for speed; records one FamilyEvent per family.
    """
    if not 0 <= seed <= SYNTHETIC_MAX_SEED:
        raise ValueError(f"The seed must be between 0 and {SYNTHETIC_MAX_SEED}")
    today = today or timezone.localdate()
    started = time.perf_counter()
    deleted = delete_synthetic(seed) if replace else 0
    council = ensure_council()
    keyworkers = ensure_synthetic_keyworkers(
        council, (count + SYNTHETIC_CASELOAD - 1) // SYNTHETIC_CASELOAD
    )
    prefix = synthetic_prefix(seed)
    existing = set(
        Family.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    created: list[Family] = []
    skipped = 0
    numbers = []
    for number in range(1, count + 1):
        if synthetic_reference(seed, number) in existing:
            skipped += 1
        else:
            numbers.append(number)
    batches = [
        numbers[offset : offset + batch_size] for offset in range(0, len(numbers), batch_size)
    ]
    written = 0
    # A worker thread prepares the next batch (draws the families, reserves ids on its own
    # connection, builds the COPY data) while PostgreSQL loads this one in its own process:
    # the two overlap on the machine's two cores. Sequences are not transactional, so the
    # worker's connection needs to see nothing of ours.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            prepare = partial(
                _prepare_synthetic_batch,
                seed,
                council=council,
                keyworkers=keyworkers,
                today=today,
            )
            upcoming = pool.submit(prepare, batches[0]) if batches else None
            for index, batch in enumerate(batches):
                families, statements = upcoming.result()
                upcoming = (
                    pool.submit(prepare, batches[index + 1]) if index + 1 < len(batches) else None
                )
                with transaction.atomic(), connection.cursor() as cursor:
                    # Regenerable data: not waiting for the WAL flush at each commit is safe here.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    for statement, data in statements:
                        cursor.copy_expert(statement, data)
                created.extend(families)
                written += len(batch)
                if stdout is not None and len(batches) > 1:
                    stdout.write(f"  {written:,} of {len(numbers):,} families written")
        finally:
            if upcoming is not None:
                upcoming.cancel()
            pool.submit(connections.close_all).result()
    return SyntheticResult(created, skipped, deleted, time.perf_counter() - started)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if kind is int:
        return str(value)
    if kind is date or kind is datetime:
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):  # choices enums
        return str.__str__(value).translate(_COPY_ESCAPES)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = ",".join(
            '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value
        )
        return ("{" + items + "}").translate(_COPY_ESCAPES)
    if isinstance(value, dict):
        return json.dumps(value).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


def copy_rows(cursor, model, rows: list[dict], now: datetime) -> None:
    """COPY rows (dicts of attname -> value) into the model's table.

    The fast path for bulk synthetic data (other apps' demo extensions use it too). Columns a
    row leaves out take the model field's default (timestamps `now`), so a field added later
    with a default needs no change here; one without a default fails loudly. Skips save(),
    signals and history: use it only for regenerable data.
    """
    if rows:
        cursor.copy_expert(*copy_statement(model, rows, now))


def copy_statement(model, rows: list[dict], now: datetime) -> tuple[str, io.StringIO]:
    """The COPY statement and its data for `copy_rows` (pure Python, no database)."""
    given = rows[0].keys()
    keys, columns, defaults, default_columns = [], [], [], []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in given:
            keys.append(model_field.attname)
            columns.append(model_field.column)
        elif model_field.primary_key:
            continue
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            defaults.append(_copy_text(now))
            default_columns.append(model_field.column)
        else:
            # What the model itself would store: its default, "" for text, NULL if nullable.
            default = model_field.get_default()
            if default is None and not model_field.null:
                raise ValueError(
                    f"{model.__name__}.{model_field.name} has no default: give it in the rows"
                )
            defaults.append(_copy_text(default))
            default_columns.append(model_field.column)
    columns += default_columns
    suffix = "".join("\t" + text for text in defaults) + "\n"
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row, key=keys[0]: (row[key],))
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join(map(_copy_text, values(row))) + suffix)
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(column) for column in columns)
    return f"COPY {table} ({cols}) FROM STDIN", buffer


_copy_rows = copy_rows  # the name other apps' demo modules first imported


def reserve_ids(cursor, model, count: int) -> list[int]:
    """`count` primary keys from the model's sequence, to link rows before COPYing them."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _prepare_synthetic_batch(
    seed: int, numbers: list[int], *, council: Council, keyworkers: list[User], today: date
) -> tuple[list[Family], list[tuple[str, io.StringIO]]]:
    """One batch's families and the COPY statements that write them (runs in the worker thread)."""
    specs = [synthetic_spec(seed, number, today) for number in numbers]
    now = timezone.now()
    families, people, memberships, problems, interventions, notes, consents, events = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    summary = f"Synthetic family generated in bulk (seed {seed}); no per-step history"
    with connection.cursor() as cursor:
        family_ids = reserve_ids(cursor, Family, len(specs))
        person_ids = iter(reserve_ids(cursor, Person, sum(len(spec.members) for spec in specs)))
    for family_id, number, spec in zip(family_ids, numbers, specs, strict=True):
        keyworker = keyworkers[(number - 1) // SYNTHETIC_CASELOAD]
        family = Family(
            id=family_id,
            reference=spec.reference,
            name=spec.name,
            address=spec.address,
            postcode=spec.postcode,
            locality_id=council.localities[spec.locality].pk,
            team_id=keyworker.team_id,
            lead_keyworker_id=keyworker.pk,
            status=spec.status,
            identified_on=spec.identified_on,
            attached_on=spec.attached_on,
            closed_on=spec.closed_on,
            closure_reason=spec.closure_reason,
            created_at=now,
            updated_at=now,
        )
        families.append(family)
        for slot, member in enumerate(spec.members, start=1):
            person_id = next(person_ids)
            people.append(
                {
                    "id": person_id,
                    "reference": f"{spec.reference}-{slot}",
                    "first_name": member.first_name,
                    "last_name": member.last_name,
                    "date_of_birth": member.date_of_birth,
                    "sex": member.sex,
                    "upn": member.upn,
                    "ni_number": member.ni_number,
                }
            )
            memberships.append(
                {
                    "family_id": family_id,
                    "person_id": person_id,
                    "role": member.role,
                    "relationship": member.relationship,
                    "start_date": member.start_date,
                    "end_date": member.end_date,
                    "end_reason": member.end_reason,
                }
            )
        for code, source, evidence in spec.problems:
            problems.append(
                {
                    "family_id": family_id,
                    "problem_id": code,
                    "identified_on": spec.identified_on,
                    "source": source,
                    "evidence": evidence,
                    "recorded_by_id": None,
                }
            )
        for item in spec.interventions:
            interventions.append(
                {
                    "family_id": family_id,
                    "service": item.service,
                    "worker_name": item.worker_name or keyworker.display_name,
                    "worker_id": keyworker.pk if item.by_keyworker else None,
                    "start_date": item.start_date,
                    "end_date": item.end_date,
                    "notes": item.notes,
                    "recorded_by_id": keyworker.pk,
                }
            )
        for occurred_on, text in spec.notes:
            notes.append(
                {
                    "family_id": family_id,
                    "author_id": keyworker.pk,
                    "occurred_on": occurred_on,
                    "text": text,
                }
            )
        if spec.consent:
            given_by, share_with, given_on, withdrawn_on = spec.consent
            consents.append(
                {
                    "family_id": family_id,
                    "person_id": None,
                    "given_by": given_by,
                    "share_with": share_with,
                    "given_on": given_on,
                    "withdrawn_on": withdrawn_on,
                    "notes": "",
                    "recorded_by_id": keyworker.pk,
                }
            )
        events.append(
            {
                "family_id": family_id,
                "kind": FamilyEvent.Kind.CREATED.value,
                "occurred_on": spec.identified_on,
                "summary": summary,
                "actor_id": None,
            }
        )
    family_rows = [
        {f.attname: getattr(family, f.attname) for f in Family._meta.concrete_fields}
        for family in families
    ]
    tables = [
        (Family, family_rows),
        (Person, people),
        (Membership, memberships),
        (FamilyProblem, problems),
        (Intervention, interventions),
        (CaseNote, notes),
        (ConsentRecord, consents),
        (FamilyEvent, events),
    ]
    statements = [copy_statement(model, rows, now) for model, rows in tables if rows]
    return families, statements


def digest(families) -> str:
    """A stable fingerprint of families' references, names, dates and members (for tests)."""
    h = hashlib.sha256()
    rows = (
        Membership.objects.filter(family__in=families)
        .order_by("family__reference", "person__reference")
        .values_list(
            "family__reference",
            "family__name",
            "family__status",
            "family__identified_on",
            "family__attached_on",
            "person__reference",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
            "person__upn",
            "person__ni_number",
        )
    )
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()
