"""The hash chain over the audit trail, computed in the database.

`families_audit_chain_append` runs AFTER INSERT, once per statement, on every audited table (the access log and each
row history table; `families.services.audit_chain.audit_chain_attach` attaches it after every
migrate). It takes an advisory lock held until the writing transaction ends, so concurrent
writers chain one after another, and appends one `families_auditchainlink` row: the SHA-256 of
the new row's canonical JSON (jsonb text, keys in jsonb order, times in UTC) and the SHA-256 of
the previous entry's hash, the table, the row's id and that content hash. A unique position
makes a fork (two entries after the same one) fail loudly instead of passing silently.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION families_audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SET timezone TO 'UTC' AS $$
DECLARE
    r record;
    cols text[];
    body_hash text;
    row_id bigint;
    last_position bigint;
    last_hash text;
    positions bigint[] := '{}';
    row_ids bigint[] := '{}';
    body_hashes text[] := '{}';
    prev_hashes text[] := '{}';
    hashes text[] := '{}';
BEGIN
    -- Statement level, over the rows the statement inserted (in id order): one lock and one
    -- read of the chain's end per statement, whatever the number of rows.
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(7702101);
    SELECT l.position, l.hash INTO last_position, last_hash
        FROM families_auditchainlink l ORDER BY l.position DESC LIMIT 1;
    IF last_position IS NULL THEN
        last_position := 0;
        last_hash := repeat('0', 64);
    END IF;
    FOR r IN
        SELECT to_jsonb(n) AS content FROM new_rows n
        ORDER BY (to_jsonb(n) ->> TG_ARGV[0])::bigint
    LOOP
        IF cols IS NULL THEN
            SELECT array_agg(k ORDER BY k) INTO cols FROM jsonb_object_keys(r.content) AS k;
        END IF;
        row_id := (r.content ->> TG_ARGV[0])::bigint;
        body_hash := encode(sha256(convert_to(r.content::text, 'UTF8')), 'hex');
        last_position := last_position + 1;
        positions := positions || last_position;
        row_ids := row_ids || row_id;
        body_hashes := body_hashes || body_hash;
        prev_hashes := prev_hashes || last_hash;
        last_hash := encode(sha256(convert_to(
            last_hash || '|' || TG_TABLE_NAME || '|' || row_id || '|' || body_hash, 'UTF8'
        )), 'hex');
        hashes := hashes || last_hash;
    END LOOP;
    INSERT INTO families_auditchainlink
        (position, source, source_id, columns, content_hash, prev_hash, hash, at)
    SELECT p, TG_TABLE_NAME, i, cols, b, v, h, now()
        FROM unnest(positions, row_ids, body_hashes, prev_hashes, hashes) AS u(p, i, b, v, h);
    RETURN NULL;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("families", "0008_row_history_and_audit_chain")]

    operations = [
        migrations.RunSQL(
            FUNCTION, "DROP FUNCTION IF EXISTS families_audit_chain_append() CASCADE;"
        )
    ]
