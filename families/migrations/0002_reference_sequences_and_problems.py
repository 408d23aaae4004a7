from django.db import migrations

PROBLEMS = [
    ("crime_asb", 1, "Parents and children involved in crime or anti-social behaviour", "Crime and anti-social behaviour"),
    ("school_attendance", 2, "Children who have not been attending school regularly", "School attendance"),
    ("children_need_help", 3, "Children who need help", "Children who need help"),
    ("worklessness", 4, "Adults out of work or at risk of financial exclusion, and young people at risk of worklessness", "Worklessness and financial exclusion"),
    ("domestic_abuse", 5, "Families affected by domestic violence and abuse", "Domestic violence and abuse"),
    ("health", 6, "Parents and children with a range of health problems", "Health"),
]


def add_problems(apps, schema_editor):
    Problem = apps.get_model("families", "Problem")
    for code, number, title, short_title in PROBLEMS:
        Problem.objects.update_or_create(code=code, defaults={"number": number, "title": title, "short_title": short_title})


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS families_family_reference_seq START 1;"
            "CREATE SEQUENCE IF NOT EXISTS families_person_reference_seq START 1;",
            "DROP SEQUENCE IF EXISTS families_family_reference_seq;"
            "DROP SEQUENCE IF EXISTS families_person_reference_seq;",
        ),
        migrations.RunPython(add_problems, migrations.RunPython.noop),
    ]
