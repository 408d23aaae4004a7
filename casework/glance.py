"""The plan's rows on the family at a glance (settings.FAMILY_GLANCE_ITEMS): the assessment,
the next review (and when the last was held) and the open actions: three queries."""

from __future__ import annotations

from families.glance import GlanceItem, long_date
from families.models import Family

from .models import Review
from .selectors import family_plan_summary

ASSESSMENT_WORDS = {
    "not started": ("Not started", "attention", "No early help assessment has been written yet."),
    "draft": ("Draft", "working", "The early help assessment is in progress."),
}


def plan_items(*, request, family: Family) -> list[GlanceItem]:
    summary = family_plan_summary(user=request.user, family=family)
    if summary.assessment_state == "completed":
        assessment = GlanceItem(
            key="assessment",
            label="Assessment",
            tag="Completed",
            tone="good",
            text=f"Version {summary.assessment_version}, completed on "
            f"{long_date(summary.assessment_completed_on)}",
            href="#plan",
            href_text="Plan",
        )
    else:
        tag, tone, text = ASSESSMENT_WORDS[summary.assessment_state]
        assessment = GlanceItem(
            key="assessment",
            label="Assessment",
            tag=tag,
            tone=tone,
            text=text,
            href="#plan",
            href_text="Plan",
        )
    if not family.is_open:
        return [assessment]
    review = summary.next_review_on
    last = Review.objects.filter(plan__family=family).values_list("held_on", flat=True).first()
    actions = (
        f"{summary.open_actions} open, {summary.overdue_actions} overdue"
        if summary.open_actions
        else "No open actions"
    )
    return [
        assessment,
        GlanceItem(
            key="next_review",
            label="Next review",
            text=long_date(review) if review else "No review date set",
            tag="Overdue" if summary.review_overdue else "",
            tone="problem",
            lines=(f"Last review held on {long_date(last)}",) if last else (),
            href="#plan",
            href_text="Plan",
        ),
        GlanceItem(
            key="actions",
            label="Actions",
            text=actions,
            tag="Overdue" if summary.overdue_actions else "",
            tone="problem",
            href="#plan",
            href_text="Plan",
        ),
    ]
