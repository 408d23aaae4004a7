"""Seed the two Outcomes Stars the programme uses, with their short area names only.

The Stars' scale descriptions are licensed: they are not stored anywhere in the product.
My Star's area names are those the Oxfordshire Thriving Families report lists for the
individual star; Family Star Plus's are its ten published area names.
"""

from django.db import migrations

STARS = [
    (
        "Family Star Plus",
        "family",
        1,
        10,
        [
            ("physical_health", "Physical health"),
            ("your_wellbeing", "Your well-being"),
            ("meeting_emotional_needs", "Meeting emotional needs"),
            ("keeping_children_safe", "Keeping your children safe"),
            ("social_networks", "Social networks"),
            ("education_and_learning", "Education and learning"),
            ("boundaries_and_behaviour", "Boundaries and behaviour"),
            ("family_routine", "Family routine"),
            ("home_and_money", "Home and money"),
            ("progress_to_work", "Progress to work"),
        ],
    ),
    (
        "My Star",
        "person",
        1,
        5,
        [
            ("physical_health", "Physical health"),
            ("where_you_live", "Where you live"),
            ("being_safe", "Being safe"),
            ("relationships", "Relationships"),
            ("feelings_and_behaviour", "Feelings and behaviour"),
            ("friends", "Friends"),
            ("confidence_and_self_esteem", "Confidence and self-esteem"),
            ("education_and_learning", "Education and learning"),
        ],
    ),
]


def seed(apps, schema_editor):
    StarDefinition = apps.get_model("casework", "StarDefinition")
    StarArea = apps.get_model("casework", "StarArea")
    for name, subject, low, high, areas in STARS:
        definition, _ = StarDefinition.objects.get_or_create(
            name=name, defaults={"subject": subject, "scale_min": low, "scale_max": high}
        )
        for position, (identifier, area_name) in enumerate(areas, start=1):
            StarArea.objects.get_or_create(
                definition=definition,
                identifier=identifier,
                defaults={"name": area_name, "position": position},
            )


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_outcome_stars")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
