"""Every route, every role: the status each gets is exactly what ROUTES says.

The walk takes EVERY URL pattern from the resolver (pages, the API, downloads, exports, claim
events, the admin), fills its path parameters with real objects from one fixture, sends a GET
as each role and compares the status with the table. It also checks the access log: a GET that
shows the fixture's family (its reference is in the address or in the response, or it is a
download) must write an AccessLog row for that user and that family (config.access_log).

HOW TO ADD A ROUTE (the coverage test fails until you do)
---------------------------------------------------------
Add one entry to ROUTES under the route's URL name ("namespace:name", or the bare name of an API
route such as "family-detail"):

    "reports:index": R(REPORTS),
    "reports:dashboard": R(REPORTS),
    "reports:services": R(REPORTS),
    "reports:returns": R(REPORTS),
    "reports:projections": R(REPORTS),
    "reports:cost_savings": R(REPORTS),
    "reports:stars": R(REPORTS),
    "reports:case_study": R(FAMILY_READ),
    # --- privacy -------------------------------------------------------------------------------
    "privacy:subject_access": R("403 403 403 403 403 200 200 302", person="person"),

The eight codes are, in order, ROLES: keyworker, team manager (the family's team), other team's
manager, programme manager, auditor, data officer, administrator, anonymous. Use one of the
named rows below when it fits (FAMILY_READ, FAMILY_EDIT...). Path parameters are filled by name:
``reference`` is the family (the claim batch for claims routes), ``family_reference`` the family;
anything else is named in the entry, e.g. ``R(FAMILY_EDIT, pk="membership")``, with a key of the
``objects`` dict the fixture builds (add your object there). Admin routes for a registered model
are classified by one rule (ADMIN_MODEL_ROUTE) from what its ModelAdmin allows. A route with no
name is keyed by its pattern.

Statuses: 200 opens; 302 sent elsewhere (anonymous to sign-in; the admin's login for non-staff);
403 the role may not (or the user sees the family but may not do this); 404 the record is outside
the user's scope (it does not exist for them); 405 a POST-only route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from casework.models import StarDefinition
from claims import services as claim_services
from claims.models import Claim
from claims.tariffs import ensure_national_tariffs
from families import services as family_services
from families.models import AccessLog, Intervention
from outcomes.models import Evidence, PlanVersion
from tests import factories as f
from tests.factories.claims import CLAIM_DATE

ROLES = (
    "keyworker",
    "team_manager",
    "other_team_manager",
    "programme_manager",
    "auditor",
    "data_officer",
    "administrator",
    "anonymous",
)


@dataclass(frozen=True)
class R:
    """A route's expected statuses, one per role in ROLES order, and its path parameters."""

    spec: str
    params: dict[str, str] = field(default_factory=dict)

    def __init__(self, spec: str, **params: str):
        codes = spec.split()
        assert len(codes) == len(ROLES), spec
        object.__setattr__(self, "spec", spec)
        object.__setattr__(self, "params", params)

    def expected(self) -> dict[str, int]:
        return dict(zip(ROLES, map(int, self.spec.split()), strict=True))


#                kw  tm  otm pm  aud do  adm anon
OPEN_PAGE = "200 200 200 200 200 200 200 200"  # footer pages, open to everyone
ANY_SIGNED_IN = "200 200 200 200 200 200 200 302"
FAMILY_READ = "200 200 404 200 200 200 200 302"  # the family's page and what every role reads
FAMILY_NOTES = "200 200 404 200 200 403 200 302"  # case notes: not for data officers
FAMILY_EDIT = "200 200 404 200 403 403 403 302"  # forms that change the case record
FAMILY_MANAGE = "403 200 404 200 403 403 403 302"  # lifecycle: managers only
FAMILY_ACCESS = "403 403 404 200 200 403 403 302"  # who saw and changed: auditors, PMs
CLAIMS_READ = "403 200 200 200 200 200 200 302"
CLAIMS_EVIDENCE = "403 403 403 200 200 200 200 302"
API_ANY = "200 200 200 200 200 200 200 403"
API_FAMILY_READ = "200 200 404 200 200 200 200 403"
API_FAMILY_NOTES = "200 200 404 200 200 403 200 403"
API_POST_ONLY = "405 405 405 405 405 405 405 403"
API_CLAIMS_READ = "403 200 200 200 200 200 200 403"
API_CLAIMS_EVIDENCE = "403 403 403 200 200 200 200 403"
API_CLAIMS_POST_ONLY = "403 405 405 405 405 405 405 403"  # keyworkers: no claims at all
ADMIN_ONLY = "302 302 302 302 302 302 200 302"
PLAN_READ = "403 403 403 200 200 403 200 302"  # outcomes plans: PMs, auditors, administrators
REPORTS = "403 200 200 200 200 200 403 302"  # programme reports: managers, auditors, data officers
API_REPORTS = "403 200 200 200 200 200 403 403"

ROUTES: dict[str, R] = {
    # --- signing in and out, footer pages --------------------------------------------------
    "home": R("200 200 200 302 302 302 302 302"),
    "login": R("302 302 302 302 302 302 302 200"),
    "logout": R("405 405 405 405 405 405 405 405"),
    "healthz": R(OPEN_PAGE),
    "accessibility": R(OPEN_PAGE),
    "privacy": R(OPEN_PAGE),
    "feedback": R(OPEN_PAGE),
    "signed_out": R(OPEN_PAGE),
    "session_extend": R("405 405 405 405 405 405 405 302"),
    # The two-factor steps: a user who has given both factors is sent on; sign-in first.
    "two_factor": R("302 302 302 302 302 302 302 302"),
    "two_factor_setup": R("302 302 302 302 302 302 302 302"),
    "recovery_codes": R("302 302 302 302 302 302 302 302"),
    "recovery_codes_new": R("405 405 405 405 405 405 405 302"),
    "api_access": R(ANY_SIGNED_IN),
    "notifications:list": R(ANY_SIGNED_IN),
    "notifications:mark_read": R("405 405 405 405 405 405 405 302"),
    # --- families ------------------------------------------------------------------------------
    "families:caseload": R(ANY_SIGNED_IN),
    "families:create": R("403 200 200 200 403 403 403 302"),
    "families:team": R("403 200 200 200 200 200 200 302"),
    "families:detail": R(FAMILY_READ),
    "families:access": R(FAMILY_ACCESS),
    "families:team_around": R(FAMILY_READ),
    "families:notes": R(FAMILY_NOTES),
    "families:note_file": R(FAMILY_NOTES, note_id="note", file_id="note_file"),
    "families:member_add": R(FAMILY_EDIT),
    "families:membership_end": R(FAMILY_EDIT, pk="membership"),
    "families:intervention_add": R(FAMILY_EDIT),
    "families:intervention_end": R(FAMILY_EDIT, pk="intervention"),
    "families:note_add": R(FAMILY_EDIT),
    "families:consent_add": R(FAMILY_EDIT),
    "families:consent_withdraw": R("200 200 404 200 403 200 403 302", pk="consent"),
    "families:partner_add": R(FAMILY_EDIT),
    "families:partner_end": R(FAMILY_EDIT, pk="partner"),
    "families:attach": R(FAMILY_MANAGE),
    "families:close": R(FAMILY_MANAGE),
    "families:reallocate": R(FAMILY_MANAGE),
    "families:worker_add": R(FAMILY_MANAGE),
    "families:worker_remove": R(FAMILY_MANAGE, user_id="named_worker"),
    "families:step_change": R(FAMILY_MANAGE),
    "families:reopen": R(FAMILY_MANAGE.replace("200", "403")),  # open case: nothing to reopen
    "families:transfer": R(FAMILY_MANAGE),
    # --- outcomes ------------------------------------------------------------------------------
    "outcomes:evidence_list": R(FAMILY_READ),
    "outcomes:evidence_add": R(FAMILY_EDIT),
    "outcomes:evidence_add_kind": R(FAMILY_EDIT, choice="school_attendance"),
    "outcomes:evidence_correct": R(FAMILY_EDIT, pk="evidence"),
    "outcomes:evidence_history": R(FAMILY_READ, pk="evidence"),
    "outcomes:near_miss": R("200 200 200 200 403 403 403 302"),
    "outcomes:eligibility_runs": R("403 200 200 200 403 200 200 302"),
    "outcomes:plan_list": R(PLAN_READ),
    "outcomes:plan_upload": R("403 403 403 403 403 403 200 302"),
    "outcomes:what_if": R("403 403 403 200 403 403 200 302"),
    "outcomes:plan_detail": R(PLAN_READ, slug="plan_slug", version="plan_version"),
    "outcomes:plan_activate": R(
        "403 403 403 200 403 403 200 302", slug="plan_slug", version="plan_version"
    ),
    # --- casework ------------------------------------------------------------------------------
    "casework:overdue": R("200 200 200 200 403 403 403 302"),
    "casework:assessment": R(FAMILY_EDIT),
    "casework:goal_add": R(FAMILY_EDIT),
    "casework:action_add": R(FAMILY_EDIT, goal_pk="goal"),
    "casework:action_done": R(FAMILY_EDIT, pk="action"),
    "casework:review_date": R(FAMILY_EDIT),
    "casework:review_add": R(FAMILY_EDIT),
    "casework:star_reading_add": R(FAMILY_EDIT, definition_pk="star"),
    # --- claims --------------------------------------------------------------------------------
    "claims:dashboard": R(CLAIMS_READ),
    "claims:batch_new": R("403 403 403 200 403 200 403 302"),
    "claims:batch_detail": R(CLAIMS_READ),
    "claims:claim_add": R("403 403 403 403 403 403 403 302"),  # approved: no more claims
    "claims:claim_remove": R("405 405 405 405 405 405 405 302", pk="claim"),
    "claims:batch_sample": R("403 403 403 403 403 403 403 302"),
    "claims:batch_payment": R("403 403 403 403 403 403 403 302"),
    "claims:batch_return_csv": R(CLAIMS_EVIDENCE),
    "claims:batch_return_xlsx": R(CLAIMS_EVIDENCE),
    "claims:batch_evidence_pack": R(CLAIMS_EVIDENCE),
    # The preparers (programme managers, data officers) submit an approved batch to government.
    "claims:batch_action": R("403 403 403 200 403 200 403 302", action="submit_to_government"),
    "claims:audit_queue": R("403 403 403 403 200 403 403 302"),
    "claims:claim_evidence": R(CLAIMS_EVIDENCE, pk="claim"),
    # --- reports -------------------------------------------------------------------------------
    "reports:index": R(REPORTS),
    "reports:dashboard": R(REPORTS),
    "reports:services": R(REPORTS),
    "reports:returns": R(REPORTS),
    "reports:projections": R(REPORTS),
    "reports:cost_savings": R(REPORTS),
    "reports:stars": R(REPORTS),
    "reports:case_study": R(FAMILY_READ),
    # --- privacy -------------------------------------------------------------------------------
    "privacy:subject_access": R("403 403 403 403 403 200 200 302", person="person"),
    # --- the API -------------------------------------------------------------------------------
    "api-root": R(API_ANY),
    "api-token": R("405 405 405 405 405 405 405 405"),
    "api-schema": R(API_ANY),
    "api-docs": R(ANY_SIGNED_IN),
    "api-redoc": R("302 302 302 302 302 302 302 302"),  # to the API docs
    "family-list": R(API_ANY),
    "family-detail": R(API_FAMILY_READ),
    "family-attach": R(API_POST_ONLY),
    "family-close": R(API_POST_ONLY),
    "family-members": R(API_FAMILY_READ),
    "family-notes": R(API_FAMILY_NOTES),
    "family-interventions": R(API_FAMILY_READ),
    "family-consents": R(API_FAMILY_READ),
    "family-evaluation-list": R(API_FAMILY_READ),
    "family-plan-list": R(API_FAMILY_READ),
    "member-list": R(API_ANY),
    "member-detail": R(API_FAMILY_READ, pk="membership"),
    "member-end": R(API_POST_ONLY, pk="membership"),
    "intervention-list": R(API_ANY),
    "intervention-detail": R(API_FAMILY_READ, pk="intervention"),
    "intervention-end": R(API_POST_ONLY, pk="intervention"),
    "note-list": R("200 200 200 200 200 403 200 403"),
    "note-detail": R(API_FAMILY_NOTES, pk="note"),
    "consent-list": R(API_ANY),
    "consent-detail": R(API_FAMILY_READ, pk="consent"),
    "claim-batch-list": R(API_CLAIMS_READ),
    "claim-batch-detail": R(API_CLAIMS_READ),
    "claim-batch-events": R(API_CLAIMS_READ),
    "claim-batch-add-claim": R(API_CLAIMS_POST_ONLY),
    "claim-batch-approve": R(API_CLAIMS_POST_ONLY),
    "claim-batch-draw-sample": R(API_CLAIMS_POST_ONLY),
    "claim-batch-record-payment": R(API_CLAIMS_POST_ONLY),
    "claim-batch-return-to-draft": R(API_CLAIMS_POST_ONLY),
    "claim-batch-sign-off": R(API_CLAIMS_POST_ONLY),
    "claim-batch-submit-for-audit": R(API_CLAIMS_POST_ONLY),
    "claim-batch-submit-to-government": R(API_CLAIMS_POST_ONLY),
    "claim-list": R(API_CLAIMS_READ),
    "claim-detail": R("403 200 404 200 200 200 200 403", pk="claim"),
    "claim-evidence": R(API_CLAIMS_EVIDENCE, pk="claim"),
    "claim-reject": R(API_CLAIMS_POST_ONLY, pk="claim"),
    "claim-remove": R(API_CLAIMS_POST_ONLY, pk="claim"),
    "claim-verify": R(API_CLAIMS_POST_ONLY, pk="claim"),
    "reports-projections-list": R(API_POST_ONLY),
    "reports-cost-savings-list": R(API_POST_ONLY),
    "reports-services-list": R(API_REPORTS),
    "report-stars-list": R(API_REPORTS),
    # --- the admin (site pages; each model's pages follow ADMIN_MODEL_ROUTE) -------------------
    "admin:index": R(ADMIN_ONLY),
    "admin:login": R("200 200 200 200 200 200 302 200"),
    "admin:logout": R("302 302 302 302 302 302 405 302"),
    "admin:password_change": R(ADMIN_ONLY),
    "admin:password_change_done": R(ADMIN_ONLY),
    "admin:autocomplete": R(
        "302 302 302 302 302 302 404 302",
        query="app_label=families&model_name=family&field_name=team",
    ),
    "admin:jsi18n": R(ADMIN_ONLY),
    "admin:app_list": R(ADMIN_ONLY, app_label="families"),
    "admin:view_on_site": R("302 302 302 302 302 302 404 302", content_type_id="0", object_id="0"),
    "admin:auth_user_password_change": R(ADMIN_ONLY, id="keyworker"),
    # An authenticator's secret is never shown, not even to administrators.
    "admin:otp_totp_totpdevice_config": R("302 302 302 302 302 302 403 302", pk="totp_device"),
    "admin:otp_totp_totpdevice_qrcode": R("302 302 302 302 302 302 403 302", pk="totp_device"),
    # Unnamed: anything else under /admin/ is the catch-all (404 once signed in as staff); an
    # object's bare address redirects to its change page (ADMIN_OBJECT_REDIRECT).
    "admin/(?P<url>.*)$": R("302 302 302 302 302 302 404 302", url="nowhere/"),
}

# admin:<app>_<model>_<view>, one rule for every registered model.
ADMIN_MODEL_ROUTE = re.compile(
    r"^admin:(?P<app>otp_totp|otp_static|[a-z]+)_(?P<model>[a-z]+)_(?P<view>changelist|add|change|delete|history|simple_history)$"
)
ADMIN_OBJECT_REDIRECT = re.compile(r"^admin/[a-z_]+/[a-z]+/<path:object_id>/$")


# --- the resolver ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL name (namespaced), or the pattern for an unnamed one
    pattern: str
    name: str | None


def all_routes() -> list[Route]:
    """Every URL pattern, once per name (format-suffix duplicates of an API route share it)."""
    found: dict[str, Route] = {}

    def walk(resolver, prefix="", namespace=None):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
                pattern = prefix + str(p.pattern)
                key = name or pattern
                if key == "healthz" or pattern == "healthz":
                    key = "healthz"
                found.setdefault(key, Route(key=key, pattern=pattern, name=name))

    walk(get_resolver())
    return list(found.values())


def classify(route: Route) -> R | None:
    if route.key in ROUTES:
        return ROUTES[route.key]
    if route.name and ADMIN_MODEL_ROUTE.match(route.name):
        return R(ADMIN_ONLY)  # the administrator's code is worked out in admin_expected
    if ADMIN_OBJECT_REDIRECT.match(route.pattern):
        return R("302 302 302 302 302 302 302 302")
    return None


def test_every_route_is_in_the_table():
    missing = [r.key for r in all_routes() if classify(r) is None]
    assert not missing, (
        "Routes with no entry in ROUTES (classify each: see the top of this file): "
        + ", ".join(missing)
    )


def test_the_table_names_no_route_that_is_gone():
    keys = {r.key for r in all_routes()}
    assert not sorted(set(ROUTES) - keys)


# --- the fixture: one family seen by its keyworker and team, in an approved claim batch -------


def build_world():
    north, south = f.TeamFactory(name="North keywork team"), f.TeamFactory(name="South team")
    users = {
        "keyworker": f.KeyworkerFactory(username="kw_walk", team=north),
        "team_manager": f.TeamManagerFactory(username="tm_walk", team=north),
        "other_team_manager": f.TeamManagerFactory(username="tm_other", team=south),
        "programme_manager": f.ProgrammeManagerFactory(username="pm_walk"),
        "auditor": f.AuditorFactory(username="aud_walk"),
        "data_officer": f.DataOfficerFactory(username="do_walk"),
        "administrator": f.AdministratorFactory(username="adm_walk"),
    }
    ensure_national_tariffs()
    family = f.ClaimableFamilyFactory(
        reference="F-970001", lead_keyworker=users["keyworker"], evaluated_on=CLAIM_DATE
    )
    preparer = f.ProgrammeManagerFactory(username="pm_prep")
    batch = claim_services.claim_batch_draft(actor=preparer, as_of=CLAIM_DATE)
    claim_services.claim_batch_submit_for_audit(actor=preparer, batch=batch)
    signer = f.AuditorFactory(username="aud_sign")
    for pending in batch.claims.filter(status=Claim.Status.PENDING):
        claim_services.claim_verify(actor=signer, claim=pending)
    claim_services.claim_batch_sign_off(actor=signer, batch=batch)
    claim_services.claim_batch_approve(actor=f.ProgrammeManagerFactory(), batch=batch)
    keyworker = users["keyworker"]
    note = family_services.case_note_add(
        actor=keyworker,
        family=family,
        text="Visited; talked about school.",
        files=[
            SimpleUploadedFile(
                "letter.pdf", b"%PDF-1.4\n% a letter\n", content_type="application/pdf"
            )
        ],
    )
    named = f.KeyworkerFactory(username="kw_named", team=north)
    f.NamedWorkerFactory(family=family, user=named)
    action = f.ActionFactory(goal=f.GoalFactory(plan=f.FamilyPlanFactory(family=family)))
    f.InterventionFactory(family=family)
    consent = family_services.consent_record(
        actor=keyworker,
        family=family,
        given_by="Jane Smith",
        given_on=date(2015, 5, 1),
        share_with=["schools"],
    )
    plan = PlanVersion.objects.first()
    objects = {
        "family": family,
        "batch": batch,
        "claim": batch.claims.filter(family=family).first(),
        "membership": family.memberships.first(),
        "intervention": Intervention.objects.filter(family=family).first(),
        "note": note,
        "note_file": note.files.first(),
        "partner": f.PartnerProfessionalFactory(family=family),
        "named_worker": named,
        "evidence": Evidence.objects.filter(
            Q(family=family) | Q(person__memberships__family=family), is_current=True
        ).first(),
        "goal": action.goal,
        "action": action,
        "consent": consent,
        "plan_slug": plan.slug,
        "plan_version": plan.version,
        "keyworker": keyworker,
        "star": StarDefinition.objects.get(name="Family Star Plus"),
        "person": family.memberships.first().person.reference,
        "totp_device": TOTPDevice.objects.create(user=keyworker, name="Phone", confirmed=True),
    }
    return users, objects


def path_for(route: Route, entry: R, objects) -> str:
    family, batch = objects["family"], objects["batch"]
    if route.name and route.name.endswith("_simple_history"):  # positional: object, version
        model, _ = _admin_model(route)
        version = model.history.order_by("history_id").first()
        return reverse(route.name, args=[version.id, version.history_id])
    kwargs = {}
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.pattern)
    for a, b in names:
        kw = a or b
        if kw == "format":
            continue
        if kw in entry.params:
            value = entry.params[kw]
            kwargs[kw] = (
                objects[value].pk
                if value in objects and hasattr(objects[value], "pk")
                else objects.get(value, value)
            )
        elif kw == "family_reference":
            kwargs[kw] = family.reference
        elif kw == "reference":
            claims_route = route.key.startswith("claims:") or route.key.startswith("claim-batch")
            kwargs[kw] = batch.reference if claims_route else family.reference
        elif kw == "object_id":
            kwargs[kw] = admin_object_id(route)
        else:
            raise AssertionError(f"{route.key}: say which object fills <{kw}>")
    if route.name is None:
        path = "/" + route.pattern
        for kw, value in kwargs.items():
            path = re.sub(rf"\(\?P<{kw}>[^)]*\)|<(\w+:)?{kw}>", str(value), path)
        return path.replace("^", "").replace("$", "")
    path = reverse(route.name, kwargs=kwargs)
    return f"{path}?{entry.params['query']}" if "query" in entry.params else path


def _admin_model(route: Route):
    m = ADMIN_MODEL_ROUTE.match(route.name or "")
    if not m:
        return None, None
    for model, model_admin in admin.site._registry.items():
        if (model._meta.app_label, model._meta.model_name) == (m["app"], m["model"]):
            return model, model_admin
    return None, None


def admin_object_id(route: Route):
    model, _ = _admin_model(route)
    if model is None:
        return "0"
    first = model._default_manager.order_by("pk").first()
    return first.pk if first else "0"


def admin_expected(route: Route, admin_user) -> int:
    """What the administrator gets on a model's admin page: what its ModelAdmin allows."""
    model, model_admin = _admin_model(route)
    view = ADMIN_MODEL_ROUTE.match(route.name)["view"]
    request = type("R", (), {"user": admin_user})()
    exists = model._default_manager.exists()
    if view == "changelist":
        return 200
    if view == "add":
        return 200 if model_admin.has_add_permission(request) else 403
    if view == "delete" and not model_admin.has_delete_permission(request):
        return 403
    if not exists:
        return 302  # no such object: the admin sends you back with a message
    return 200


def client_for(role: str, users) -> Client:
    client = Client(raise_request_exception=False)  # a crash is a 500 in the report
    if role == "anonymous":
        return client
    client.force_login(users[role])
    return client


@pytest.mark.django_db
def test_every_role_gets_exactly_the_status_the_table_says_and_reads_are_logged():
    users, objects = build_world()
    family = objects["family"]
    clients = {role: client_for(role, users) for role in ROLES}
    api_clients = {}
    for role in ROLES:
        api = APIClient()
        if role != "anonymous":
            api.force_authenticate(users[role])
        api_clients[role] = api
    wrong, unlogged = [], []
    for route in all_routes():
        entry = classify(route)
        path = path_for(route, entry, objects)
        expected = entry.expected()
        if route.name and ADMIN_MODEL_ROUTE.match(route.name):
            expected["administrator"] = admin_expected(route, users["administrator"])
        for role in ROLES:
            client = api_clients[role] if path.startswith("/api/v1/") else clients[role]
            last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(path)
            if response.status_code != expected[role]:
                wrong.append(
                    f"{route.key} {path} {role}: {response.status_code}, table says {expected[role]}"
                )
                continue
            if response.status_code == 200 and role != "anonymous":
                body = b"" if response.streaming else response.content
                shows = (
                    family.reference in path  # the family's own pages and API records
                    or family.reference.encode() in body  # anything that names it
                    or route.key in LOGGED_DOWNLOADS
                )
                if (
                    shows
                    and not AccessLog.objects.filter(
                        pk__gt=last, user=users[role], family=family
                    ).exists()
                ):
                    unlogged.append(f"{route.key} {path} {role}")
    assert not wrong, "Statuses differ from the table:\n" + "\n".join(wrong)
    assert not unlogged, "Shown without an access log entry:\n" + "\n".join(unlogged)


# Downloads whose body may not carry the reference in plain bytes (a PDF, a spreadsheet, a
# file): they must log all the same.
LOGGED_DOWNLOADS = {
    "families:note_file",
    "claims:batch_return_xlsx",
    "claims:batch_evidence_pack",
    "claims:batch_return_csv",
}
