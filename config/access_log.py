"""Every read of family data is logged here, in one place (docs/security.md, "The access log").

`REGISTRY` names each route (by URL name) that shows families, with the words the access log
uses and where the families come from:

- ``REFERENCE``: the family whose reference is in the URL (its pages, sub-pages and forms);
- ``CLAIM``: the family of the claim whose number is in the URL;
- ``NOTED``: the families the view noted with `families.access.shown` (lists, searches, the API);
- ``EXPORT``: downloads, which `claims.exports` logs per family as it writes the file.

Routes under the admin are handled by one rule: whatever object or list of objects the admin
page shows, the families they belong to. After a successful GET or HEAD (2xx), the middleware
writes one AccessLog row per family, in one insert; a refused or failed request writes none. A
successful POST writes only what its view noted (a confirmation page that names families).
`tests/integration/test_route_access_walk.py` fails when a route shows a family and no row is
written, so a new family route must be added here (or call `shown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.db.models import Q

from families.access import shown_on
from families.models import AccessLog, Family, Person
from families.services import access_log_record

REFERENCE, CLAIM, NOTED, EXPORT = "reference", "claim", "noted", "export"


@dataclass(frozen=True)
class Shows:
    action: str
    source: str = NOTED


def _form(action: str) -> Shows:
    return Shows(action, REFERENCE)


REGISTRY: dict[str, Shows] = {
    # lists and searches (the view notes the families on the page)
    "home": Shows("listed families on the home page"),
    "families:caseload": Shows("listed families"),
    "families:team": Shows("listed the team's families"),
    "notifications:list": Shows("listed notifications about families"),
    "outcomes:near_miss": Shows("near-miss list"),
    "outcomes:what_if": Shows("what-if report"),
    "casework:overdue": Shows("listed overdue plans"),
    "claims:batch_detail": Shows("viewed claim batch"),
    # one family: its page, sub-pages and the forms that show its record
    "families:detail": Shows("viewed family page", REFERENCE),
    "families:notes": Shows("viewed case notes", REFERENCE),
    "families:note_file": Shows("downloaded case note file", REFERENCE),
    "families:team_around": Shows("viewed team around the family", REFERENCE),
    "families:access": Shows("viewed who saw and changed the record", REFERENCE),
    "reports:case_study": Shows("viewed case study", REFERENCE),
    "families:member_add": _form("opened add a member"),
    "families:membership_end": _form("opened a member leaving"),
    "families:intervention_add": _form("opened add an intervention"),
    "families:intervention_end": _form("opened end an intervention"),
    "families:note_add": _form("opened write a case note"),
    "families:consent_add": _form("opened record consent"),
    "families:consent_withdraw": _form("opened record a withdrawal of consent"),
    "families:attach": _form("opened attach the family"),
    "families:close": _form("opened close the case"),
    "families:reallocate": _form("opened change the lead keyworker"),
    "families:worker_add": _form("opened name a worker"),
    "families:worker_remove": _form("opened remove a named worker"),
    "families:partner_add": _form("opened add a professional"),
    "families:partner_end": _form("opened a professional leaving"),
    "families:step_change": _form("opened step up or down"),
    "families:reopen": _form("opened reopen the case"),
    "families:transfer": _form("opened move to another team"),
    "outcomes:evidence_list": Shows("viewed evidence", REFERENCE),
    "outcomes:evidence_add": _form("opened add evidence"),
    "outcomes:evidence_add_kind": _form("opened add evidence"),
    "outcomes:evidence_correct": _form("opened correct evidence"),
    "outcomes:evidence_history": Shows("viewed evidence history", REFERENCE),
    "casework:assessment": _form("opened the early help assessment"),
    "casework:goal_add": _form("opened add a goal"),
    "casework:action_add": _form("opened add an action"),
    "casework:action_done": _form("opened an action done"),
    "casework:review_date": _form("opened the review date"),
    "casework:review_add": _form("opened record a review"),
    "casework:star_reading_add": _form("opened record an Outcome Star reading"),
    "claims:claim_evidence": Shows("Viewed claim evidence", CLAIM),
    "claims:batch_return_csv": Shows("Downloaded claim return (CSV)", EXPORT),
    "claims:batch_return_xlsx": Shows("Downloaded claim return (Excel)", EXPORT),
    "claims:batch_evidence_pack": Shows("Downloaded evidence pack (PDF)", EXPORT),
    # the API: every viewset notes what it read
    "family-list": Shows("listed families"),
    "family-detail": Shows("viewed family"),
    "family-members": Shows("listed family members"),
    "family-notes": Shows("listed family notes"),
    "family-interventions": Shows("listed family interventions"),
    "family-consents": Shows("listed family consent"),
    "member-list": Shows("listed family members"),
    "member-detail": Shows("viewed family members"),
    "intervention-list": Shows("listed interventions"),
    "intervention-detail": Shows("viewed interventions"),
    "note-list": Shows("listed case notes"),
    "note-detail": Shows("viewed case notes"),
    "consent-list": Shows("listed consent records"),
    "consent-detail": Shows("viewed consent records"),
    "family-evaluation-list": Shows("evaluation"),
    "family-plan-list": Shows("family plan"),
    "claim-list": Shows("Listed claims"),
    "claim-detail": Shows("Read claim"),
    "claim-evidence": Shows("Read claim evidence"),
    "claim-batch-events": Shows("Read claim batch events"),
}


def families_of(objects: Iterable) -> list[Family]:
    """The families the objects an admin page shows belong to: families themselves, people (by
    their household), records with a family, records of a claim (none for users, plans...)."""
    objects = [o for o in objects if o is not None]
    family_ids = {o.pk for o in objects if isinstance(o, Family)}
    family_ids |= {o.family_id for o in objects if getattr(o, "family_id", None)}
    people = [o.pk for o in objects if isinstance(o, Person)]
    claims = [o.claim_id for o in objects if getattr(o, "claim_id", None)]
    query = Q(pk__in=family_ids)
    if people:
        query |= Q(memberships__person__in=people)
    if claims:
        query |= Q(claims__pk__in=claims)
    if not (family_ids or people or claims):
        return []
    return list(Family.objects.filter(query).distinct())


ADMIN_MODEL_VIEW = re.compile(r"^(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<view>[a-z_]+)$")


def _admin_families(match, response) -> list[Family]:
    """What an admin page shows: the rows of a change list, or the one object of a change,
    history or delete page (found from the URL when the page carries no context)."""
    context = getattr(response, "context_data", None) or {}
    if "cl" in context:
        return families_of(context["cl"].result_list)
    object_id = match.kwargs.get("object_id") or (match.args[0] if match.args else None)
    found = ADMIN_MODEL_VIEW.match(match.url_name or "")
    if object_id is None or found is None:
        return []
    try:
        model = apps.get_model(found["app"], found["model"])
    except LookupError:
        return []
    return families_of(model._default_manager.filter(pk=unquote(str(object_id))))


def _families(request, match, response, rule: Shows | None) -> list[tuple[str, list[Family]]]:
    found = [
        (action or (rule.action if rule else match.view_name), fams)
        for action, fams in shown_on(request)
    ]
    if match.view_name.startswith("admin:"):
        found.append((f"admin: {match.url_name}", _admin_families(match, response)))
    elif rule is not None and rule.source == REFERENCE:
        found.append(
            (rule.action, list(Family.objects.filter(reference=match.kwargs.get("reference"))))
        )
    elif rule is not None and rule.source == CLAIM:
        found.append((rule.action, list(Family.objects.filter(claims__pk=match.kwargs.get("pk")))))
    return found


def _write(request, entries: Iterable[tuple[str, list[Family]]]) -> None:
    via = AccessLog.Via.API if request.path.startswith("/api/") else AccessLog.Via.PAGE
    seen: set[int] = set()  # one row per family: what the view noted first, then the registry
    for action, families in entries:
        unique = {f.pk: f for f in families if f is not None and f.pk and f.pk not in seen}
        seen.update(unique)
        if unique:
            access_log_record(
                user=request.user,
                families=unique.values(),
                via=via,
                action=action[:80],
                path=request.path,
            )


class AccessLogMiddleware:
    """After a successful read, write who saw which families (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            match is None
            or not 200 <= response.status_code < 300
            or user is None
            or not user.is_authenticated
        ):
            return response
        if request.method not in ("GET", "HEAD"):
            # A form's answer that shows families (a confirmation page): what the view noted.
            _write(
                request, [(action or match.view_name, fams) for action, fams in shown_on(request)]
            )
            return response
        rule = REGISTRY.get(match.view_name)
        if rule is not None and rule.source == EXPORT:
            return response  # claims.exports logs each family in the file as it writes it
        _write(request, _families(request, match, response, rule))
        return response
