"""The family plan section of the family page (wired in `settings.FAMILY_PAGE_SECTIONS`)."""

from __future__ import annotations

from families.models import Family
from families.sections import Section

from .permissions import can_write_plan
from .selectors import family_plan_get


def family_plan_section(*, request, family: Family) -> Section:
    """The assessment, the plan's goals with their actions, and the reviews (fixed queries)."""
    return Section(
        anchor="plan",
        title="Family plan",
        template="casework/_family_plan.html",
        context={
            "view": family_plan_get(user=request.user, family=family),
            "may_write": can_write_plan(request.user, family),
        },
    )


def family_stars_section(*, request, family: Family) -> Section:
    """Each Outcomes Star recorded for the family (the family's own, and each child's), drawn
    as a star with the baseline and the latest reading, beside a table of the scores."""
    from .selectors import family_star_list, star_definition_list
    from .star_chart import star_chart

    stars = family_star_list(user=request.user, family=family)
    for progress in stars:
        definition = progress.definition
        latest = progress.latest
        progress.chart = star_chart(
            title=f"{definition.name}: {progress.subject}",
            areas=[row.area for row in progress.rows],
            scale_min=definition.scale_min,
            scale_max=definition.scale_max,
            baseline=[row.baseline for row in progress.rows],
            latest=[row.latest for row in progress.rows] if latest else None,
            baseline_label=f"{progress.baseline.get_kind_display()}, "
            f"{progress.baseline.read_on:%-d %B %Y}",
            latest_label=f"Latest, {latest.read_on:%-d %B %Y}" if latest else "Latest",
        )
    may_write = can_write_plan(request.user, family)
    return Section(
        anchor="outcome-stars",
        title="Outcome Stars",
        template="casework/_family_stars.html",
        context={
            "stars": stars,
            "may_write": may_write,
            "definitions": star_definition_list(active_only=True) if may_write else [],
        },
    )
