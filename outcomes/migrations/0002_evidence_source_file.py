from django.db import migrations, models

# Records already imported take their file's name from the import that brought them in.
BACKFILL = """
UPDATE outcomes_evidence AS e SET source_file = f.filename
FROM referrals_importfile AS f
WHERE e.import_file_id = f.id AND e.source_file = ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="source_file",
            field=models.CharField(blank=True, db_default="", default="", max_length=255),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
