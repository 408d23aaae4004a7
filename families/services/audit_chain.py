"""The hash chain over the audit trail: attaching it to the audited tables, checking it, and
telling administrators when the check fails.

Every access-log entry and every row history event gets one `AuditChainLink`, written by the
database trigger `families_audit_chain_append` (migration 0009). Changing an audited row,
deleting one, or changing or removing a link breaks the chain at that entry, and
`audit_chain_verify` reports the first break.

The one change the chain accepts is a redaction by the retention schedule: `audit_chain_redact`
appends, for each rewritten row, a link whose source is "<table>#redacted" and whose content
hash is the row's new one. A row whose content no longer matches its link verifies only if a
later redaction link for it carries its current content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import AccessLog, AuditChainLink, Notification, User

from .notifications import Notice, notifications_send

GENESIS = "0" * 64
CHUNK = 2000
LOCK = 7702101  # the advisory lock the chain trigger takes (migration 0009)
REDACTED = "#redacted"


def _table(source: str) -> str:
    """The audited table a link is about (a redaction link names it with REDACTED after)."""
    return source.removesuffix(REDACTED)


def audited_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every audited table: the access log, the other logs in
    settings.AUDIT_CHAIN_MODELS (the security event log) and every row history table."""
    from pghistory.models import Event  # the history app is loaded by then

    tables = [(AccessLog._meta.db_table, AccessLog._meta.pk.column)]
    for label in getattr(settings, "AUDIT_CHAIN_MODELS", ()):
        try:
            model = apps.get_model(label)
        except LookupError:  # e.g. a log this installation does not have
            continue
        tables.append((model._meta.db_table, model._meta.pk.column))
    for model in apps.get_models():
        if issubclass(model, Event) and model._meta.managed and not model._meta.proxy:
            tables.append((model._meta.db_table, model._meta.pk.column))
    return sorted(set(tables))


def audit_chain_attach(*, using: str = DEFAULT_DB_ALIAS, **_kwargs) -> int:
    """Attach the chain trigger to every audited table that exists (after every migrate, so a
    history table added later is chained too). Returns how many tables it attached to."""
    attached = 0
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('families_audit_chain_append()') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0
        for table, pk in audited_tables():
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if not cursor.fetchone()[0]:
                continue
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER families_audit_chain AFTER INSERT ON "{table}" '  # noqa: S608
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION families_audit_chain_append('{pk}')"
            )
            attached += 1
    return attached


def link_hash(prev_hash: str, source: str, source_id: int, content_hash: str) -> str:
    """What the trigger computes for an entry: the previous hash, the row and its content."""
    text = f"{prev_hash}|{source}|{source_id}|{content_hash}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain does not hold."""

    position: int
    source: str
    source_id: int | None
    problem: str
    expected: str
    found: str

    def __str__(self) -> str:
        row = f" ({self.source} id {self.source_id})" if self.source_id is not None else ""
        where = f"entry {self.position}{row}" if self.position else row.strip(" ()")
        return (
            f"Audit trail broken at {where}: {self.problem}; "
            f"expected {self.expected}, found {self.found}"
        )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _links(using: str) -> Iterator[list[tuple]]:
    """The chain in order, a chunk at a time (keyset pagination: constant memory)."""
    after = 0
    while True:
        chunk = list(
            AuditChainLink.objects.using(using)
            .filter(position__gt=after)
            .order_by("position")
            .values_list(
                "position", "source", "source_id", "columns", "content_hash", "prev_hash", "hash"
            )[:CHUNK]
        )
        if not chunk:
            return
        yield chunk
        after = chunk[-1][0]


def _content_hashes(using: str, source: str, first: int, last: int) -> dict[int, str]:
    """Each audited row's content hash now, recomputed over the columns it had when chained,
    for the entries from ``first`` to ``last`` (one query per table in a chunk)."""
    table = _table(source)
    pk = dict(audited_tables()).get(table)
    if pk is None:  # a table no longer audited: every row in it counts as missing
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute(
            # The table and column come from the model registry, never from input.
            f"""SELECT l.position, encode(sha256(convert_to((
                    SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(t)) e
                    WHERE e.key = ANY(l.columns))::text, 'UTF8')), 'hex')
                FROM families_auditchainlink l JOIN "{table}" t ON t."{pk}" = l.source_id
                WHERE l.source = %s AND l.position BETWEEN %s AND %s""",  # noqa: S608  # nosec B608
            [source, first, last],
        )
        return dict(cursor.fetchall())


def _latest_redactions(using: str, chunk: list[tuple]) -> dict[tuple[str, int], tuple[int, str]]:
    """For the rows the entries of a chunk are about: (table, id) -> (position, content hash)
    of the last redaction link for that row anywhere in the chain (one query per table)."""
    ids: dict[str, set[int]] = {}
    for _position, source, source_id, *_rest in chunk:
        ids.setdefault(_table(source), set()).add(source_id)
    found = {}
    for table, row_ids in ids.items():
        rows = (
            AuditChainLink.objects.using(using)
            .filter(source=table + REDACTED, source_id__in=row_ids)
            .order_by("source_id", "-position")
            .distinct("source_id")
            .values_list("source_id", "position", "content_hash")
        )
        for source_id, position, content_hash in rows:
            found[(table, source_id)] = (position, content_hash)
    return found


def audit_chain_redact(*, table: str, ids, using: str = DEFAULT_DB_ALIAS) -> int:
    """Record in the chain that these rows of an audited table were rewritten on purpose (the
    retention schedule's anonymisation): one redaction link per row whose content changed
    since its last link, under the trigger's lock. Call it in the transaction that rewrote
    them, after the rewrite. Returns how many links it appended."""
    ids = sorted(set(ids))
    pk = dict(audited_tables()).get(table)
    if not ids or pk is None:
        return 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL timezone TO 'UTC'")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        # Each row's content hash now, over the columns it was first chained with, exactly as
        # the check computes it, and the content hash of its last link (original or redaction).
        cursor.execute(
            # The table and column come from the model registry, never from input.
            f"""SELECT t."{pk}", o.columns,
                    encode(sha256(convert_to((
                        SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(to_jsonb(t)) e
                        WHERE e.key = ANY(o.columns))::text, 'UTF8')), 'hex'),
                    (SELECT l.content_hash FROM families_auditchainlink l
                     WHERE l.source IN (%s, %s) AND l.source_id = t."{pk}"
                     ORDER BY l.position DESC LIMIT 1)
                FROM "{table}" t
                JOIN families_auditchainlink o ON o.source = %s AND o.source_id = t."{pk}"
                WHERE t."{pk}" = ANY(%s) ORDER BY 1""",  # noqa: S608  # nosec B608
            [table, table + REDACTED, table, ids],
        )
        changed = [
            (row_id, columns, now)
            for row_id, columns, now, last in cursor.fetchall()
            if now != last
        ]
        if not changed:
            return 0
        last = AuditChainLink.objects.using(using).order_by("-position").first()
        position, prev = (last.position, last.hash) if last else (0, GENESIS)
        at = timezone.now()
        links = []
        source = table + REDACTED
        for row_id, columns, content_hash in changed:
            position += 1
            digest = link_hash(prev, source, row_id, content_hash)
            links.append(
                AuditChainLink(
                    position=position,
                    source=source,
                    source_id=row_id,
                    columns=columns,
                    content_hash=content_hash,
                    prev_hash=prev,
                    hash=digest,
                    at=at,
                )
            )
            prev = digest
        AuditChainLink.objects.using(using).bulk_create(links)
    return len(links)


def audit_chain_verify(*, using: str = DEFAULT_DB_ALIAS) -> ChainReport:
    """Walk the whole chain in order and return how many entries held and the first break."""
    expected_position, prev = 1, GENESIS
    checked = 0
    with transaction.atomic(using=using):  # one snapshot, and SET LOCAL stays local
        for chunk in _links(using):
            first, last = chunk[0][0], chunk[-1][0]
            current: dict[str, dict[int, str]] = {}
            for source in {row[1] for row in chunk}:
                current[source] = _content_hashes(using, source, first, last)
            redactions = _latest_redactions(using, chunk)
            for position, source, source_id, _cols, content_hash, prev_hash, stored in chunk:
                if position != expected_position:
                    return ChainReport(
                        checked,
                        ChainBreak(
                            expected_position,
                            "",
                            None,
                            "the entry is missing",
                            f"entry {expected_position}",
                            f"entry {position} next",
                        ),
                    )
                if prev_hash != prev:
                    return ChainReport(
                        checked,
                        ChainBreak(
                            position, source, source_id, "previous hash differs", prev, prev_hash
                        ),
                    )
                recomputed = link_hash(prev_hash, source, source_id, content_hash)
                if recomputed != stored:
                    return ChainReport(
                        checked,
                        ChainBreak(
                            position, source, source_id, "entry hash differs", recomputed, stored
                        ),
                    )
                now = current[source].get(position)
                if now is None:
                    return ChainReport(
                        checked,
                        ChainBreak(
                            position,
                            source,
                            source_id,
                            "the audited row is missing",
                            content_hash,
                            "no row",
                        ),
                    )
                if now != content_hash:
                    # Accepted only when a later redaction link carries the row's content now.
                    later, redacted_to = redactions.get((_table(source), source_id), (0, None))
                    if later <= position or redacted_to != now:
                        return ChainReport(
                            checked,
                            ChainBreak(
                                position,
                                source,
                                source_id,
                                "the redacted row does not match its redaction"
                                if source.endswith(REDACTED)
                                else "the audited row was changed",
                                redacted_to if later > position else content_hash,
                                now,
                            ),
                        )
                prev, expected_position = stored, position + 1
                checked += 1
        unchained = _first_unchained(using)
    return ChainReport(checked, unchained)


def _first_unchained(using: str) -> ChainBreak | None:
    """An audited row with no entry: the end of the chain was cut off (or its trigger dropped)."""
    with connections[using].cursor() as cursor:
        for table, pk in audited_tables():
            cursor.execute(
                f"""SELECT t."{pk}" FROM "{table}" t WHERE NOT EXISTS (
                    SELECT 1 FROM families_auditchainlink l
                    WHERE l.source = %s AND l.source_id = t."{pk}")
                ORDER BY t."{pk}" LIMIT 1""",  # noqa: S608  # nosec B608
                [table],
            )
            row = cursor.fetchone()
            if row is not None:
                return ChainBreak(
                    0, table, row[0], "the audited row is not in the chain", "an entry", "none"
                )
    return None


def audit_chain_check_and_notify(*, actor: User) -> ChainReport:
    """Verify the chain; on a break, tell every active administrator (once per break a day)."""
    report = audit_chain_verify()
    if report.broken is None:
        return report
    broken = report.broken
    today = timezone.localdate()
    administrators = User.objects.filter(role=User.Role.ADMINISTRATOR, is_active=True)
    notifications_send(
        actor=actor,
        notices=[
            Notice(
                user=admin,
                kind=Notification.Kind.AUDIT_TRAIL_BROKEN,
                message=(
                    f"The nightly audit trail check found a break: {broken}. Records may have"
                    " been changed outside the service:"
                    " tell your information governance lead."
                )[:400],
                url=reverse("notifications:list"),
                dedupe_key=f"audit-trail:{broken.position}:{today.isoformat()}",
                email_subject="Family keywork: the audit trail check failed",
                email_body="The nightly audit trail check found a break. Sign in to see where.",
            )
            for admin in administrators
        ],
    )
    return report
