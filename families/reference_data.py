"""Reference data every council has: the programme's six family problems (codes are a stable interface)."""

from __future__ import annotations

PROBLEMS = [
    (
        "crime_asb",
        1,
        "Parents and children involved in crime or anti-social behaviour",
        "Crime and anti-social behaviour",
    ),
    (
        "school_attendance",
        2,
        "Children who have not been attending school regularly",
        "School attendance",
    ),
    ("children_need_help", 3, "Children who need help", "Children who need help"),
    (
        "worklessness",
        4,
        "Adults out of work or at risk of financial exclusion, and young people at risk of worklessness",
        "Worklessness and financial exclusion",
    ),
    (
        "domestic_abuse",
        5,
        "Families affected by domestic violence and abuse",
        "Domestic violence and abuse",
    ),
    ("health", 6, "Parents and children with a range of health problems", "Health"),
]


def ensure_problems() -> int:
    """Put back any of the six problems that are missing (the migration seeds them; a test flush removes them)."""
    from .models import Problem

    created = 0
    for code, number, title, short_title in PROBLEMS:
        _, was_created = Problem.objects.get_or_create(
            code=code, defaults={"number": number, "title": title, "short_title": short_title}
        )
        created += was_created
    return created
