"""Seed the national tariffs and make evidence snapshots immutable in the database.

Tariff amounts (see docs/claims.md for the reading of the phase 1 framework):
- Phase 1 (families attached 1 April 2012 to 31 March 2015), up to £4,000 a family. The
  attachment fee and the results payment split by the year of attachment: 2012/13
  £3,200/£800, 2013/14 £2,400/£1,600, 2014/15 £1,600/£2,400. A result is worth, with the
  attachment fee: crime/ASB + education £3,900, progress to work £100, continuous employment
  £4,000; so the results payment is that value less the attachment fee already paid
  (crime/ASB + education £700/£1,500/£2,300, continuous employment £800/£1,600/£2,400) and
  progress to work is £100.
- Phase 2 (from 1 April 2015): £1,000 attachment fee; £800 results payment for significant
  and sustained progress, or £800 for continuous employment.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PHASE_1_YEARS = [
    # (from, to, attachment fee)
    (date(2012, 4, 1), date(2013, 4, 1), Decimal("3200")),
    (date(2013, 4, 1), date(2014, 4, 1), Decimal("2400")),
    (date(2014, 4, 1), date(2015, 4, 1), Decimal("1600")),
]
PHASE_1_RESULT_VALUE = Decimal("3900")  # crime/ASB + education, including the attachment fee
PHASE_1_EMPLOYMENT_VALUE = Decimal("4000")  # continuous employment, including the attachment fee
PHASE_1_PROGRESS_TO_WORK = Decimal("100")


def seed(apps, schema_editor):
    Tariff = apps.get_model("claims", "Tariff")
    rows = []
    for start, end, fee in PHASE_1_YEARS:
        year = f"{start.year}/{str(end.year)[2:]}"
        rows += [
            ("phase_1", "attachment", start, end, fee, f"Phase 1 attachment fee, families attached in {year}"),
            (
                "phase_1", "results", start, end, PHASE_1_RESULT_VALUE - fee,
                f"Phase 1 crime/ASB and education result (£3,900 less the {year} attachment fee)",
            ),
            (
                "phase_1", "continuous_employment", start, end, PHASE_1_EMPLOYMENT_VALUE - fee,
                f"Phase 1 continuous employment (£4,000 less the {year} attachment fee)",
            ),
            ("phase_1", "progress_to_work", start, end, PHASE_1_PROGRESS_TO_WORK, "Phase 1 progress to work"),
        ]
    p2 = date(2015, 4, 1)
    rows += [
        ("phase_2", "attachment", p2, None, Decimal("1000"), "Phase 2 attachment fee"),
        ("phase_2", "results", p2, None, Decimal("800"), "Phase 2 significant and sustained progress"),
        ("phase_2", "continuous_employment", p2, None, Decimal("800"), "Phase 2 continuous employment"),
    ]
    for phase, claim_type, start, end, amount, description in rows:
        Tariff.objects.update_or_create(
            phase=phase, claim_type=claim_type, effective_from=start,
            defaults={"effective_to": end, "amount": amount, "description": description},
        )


def unseed(apps, schema_editor):
    apps.get_model("claims", "Tariff").objects.all().delete()


TRIGGER = """
CREATE SEQUENCE IF NOT EXISTS claims_batch_reference_seq START 1;
CREATE OR REPLACE FUNCTION claims_evidence_snapshot_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Evidence snapshots cannot be changed or deleted (snapshot %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_evidence_snapshot_immutable
    BEFORE UPDATE OR DELETE ON claims_evidencesnapshot
    FOR EACH ROW EXECUTE FUNCTION claims_evidence_snapshot_immutable();
"""
DROP_TRIGGER = """
DROP SEQUENCE IF EXISTS claims_batch_reference_seq;
CREATE SEQUENCE IF NOT EXISTS claims_batch_reference_seq START 1;
DROP TRIGGER IF EXISTS claims_evidence_snapshot_immutable ON claims_evidencesnapshot;
DROP FUNCTION IF EXISTS claims_evidence_snapshot_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
