"""A family's printable case study: before, current and impact (docs/reports.md, "Case study").

The family follows the user's own scope (`family_get`: a keyworker sees only their families, and
anyone else's is a 404); the access log records each view, as for the family page
(`config.access_log`).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from families import selectors as family_selectors
from outcomes.selectors.evidence import family_evidence_list

from .case_study import case_study, facts_from_evidence


@require_GET
def family_case_study(request, reference: str):
    user = request.user
    family = family_selectors.family_get(user=user, reference=reference)
    today = timezone.localdate()
    study = case_study(
        facts=facts_from_evidence(family_evidence_list(family=family)),
        attached_on=family.attached_on,
        as_of=today,
    )
    return render(
        request,
        "reports/case_study.html",
        {
            "family": family,
            "study": study,
            "members": family_selectors.membership_list(family=family, on=today),
        },
    )
