"""Reads of family records, already scoped to what the user may see.

A family outside the user's scope does not exist for them: `family_get` raises Http404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import chain

from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from .identifiers import normalise_postcode
from .models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    FamilyWorker,
    Intervention,
    Membership,
    Notification,
    Person,
    User,
)
from .permissions import SEE_ALL_ROLES


def family_scope(*, user: User) -> QuerySet[Family]:
    """Every family the user may see, unfiltered otherwise."""
    families = Family.objects.all()
    if not user.is_authenticated or not user.is_active:
        return families.none()
    if user.role in SEE_ALL_ROLES:
        return families
    if user.role == User.Role.TEAM_MANAGER:
        if user.team_id is None:
            return families.none()
        return families.filter(team_id=user.team_id)
    if user.role == User.Role.KEYWORKER:
        named = FamilyWorker.objects.filter(user=user).values("family_id")
        return families.filter(Q(lead_keyworker=user) | Q(pk__in=named))
    return families.none()


SORTS = {
    "reference": ("reference",),
    "name": ("name", "reference"),
    "postcode": ("postcode", "reference"),
    "status": ("status", "reference"),
    "attached": ("attached_on", "reference"),
    "updated": ("-updated_at", "reference"),
}


@dataclass(frozen=True)
class CaseloadFilters:
    q: str = ""
    status: str = ""
    locality: int | None = None
    problem: str = ""
    keyworker: int | None = None
    sort: str = "reference"


def family_list(*, user: User, filters: CaseloadFilters | None = None) -> QuerySet[Family]:
    """The user's caseload: search by name, reference or postcode; filter; sort. Constant queries per page."""
    filters = filters or CaseloadFilters()
    families = family_scope(user=user)
    if filters.q:
        families = families.filter(_search(filters.q))
    if filters.status:
        families = families.filter(status=filters.status)
    if filters.locality:
        families = families.filter(locality_id=filters.locality)
    if filters.problem:
        families = families.filter(
            Exists(FamilyProblem.objects.filter(family=OuterRef("pk"), problem_id=filters.problem))
        )
    if filters.keyworker:
        families = families.filter(lead_keyworker_id=filters.keyworker)
    order = SORTS.get(filters.sort, SORTS["reference"])
    return (
        families.select_related("locality", "team", "lead_keyworker")
        .prefetch_related(
            Prefetch(
                "problems",
                queryset=FamilyProblem.objects.select_related("problem").order_by(
                    "problem__number"
                ),
            )
        )
        # A subquery rather than a join: the page's count() drops it, so counting 100,000
        # families does not group every membership.
        .annotate(
            member_count=Coalesce(
                Subquery(
                    Membership.objects.filter(family=OuterRef("pk"), end_date__isnull=True)
                    .values("family")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by(*order)
    )


DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def _search(q: str) -> Q:
    """Families whose reference or postcode is the term, whose name starts with it, or with a
    member whose names start with its words. Prefix matches use the expression indexes, so
    searching 100,000 families stays fast."""
    term = " ".join(q.split())
    postcode = normalise_postcode(term)
    if DISTRICT_RE.match(postcode):
        postcode_match = Q(postcode__startswith=f"{postcode} ")
    else:
        postcode_match = Q(postcode__startswith=postcode)
    named = Q()
    for word in term.split():
        named &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
    people = Person.objects.filter(named | Q(reference__iexact=term)).values("pk")
    return (
        Q(reference__iexact=term)
        | Q(name__istartswith=term)
        | postcode_match
        | Q(pk__in=Membership.objects.filter(person__in=people).values("family_id"))
    )


def family_get(*, user: User, reference: str) -> Family:
    """One family the user may see, or Http404."""
    try:
        return (
            family_scope(user=user)
            .select_related("locality", "team", "lead_keyworker")
            .get(reference=reference)
        )
    except Family.DoesNotExist:
        raise Http404("No family with that reference in your caseload") from None


def membership_list(*, family: Family, on: date | None = None) -> list[Membership]:
    """The family's household members, current first, with people loaded."""
    memberships = list(
        family.memberships.select_related("person").order_by("end_date", "role", "start_date")
    )
    memberships.sort(
        key=lambda m: (
            m.end_date is not None,
            m.role != "adult",
            m.person.date_of_birth or date.min,
        )
    )
    return memberships


def family_problem_list(*, family: Family) -> QuerySet[FamilyProblem]:
    return family.problems.select_related("problem", "recorded_by").order_by("problem__number")


def intervention_list(*, family: Family) -> QuerySet[Intervention]:
    return family.interventions.select_related("worker", "recorded_by")


def consent_list(*, family: Family) -> QuerySet[ConsentRecord]:
    return family.consents.select_related("person", "recorded_by")


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # "note" or an event kind
    title: str
    text: str
    actor: User | None
    at: object


def family_timeline(*, family: Family, limit: int = 200) -> list[TimelineEntry]:
    """Notes and events, newest first, as one dated timeline (two queries whatever its length)."""
    notes = CaseNote.objects.filter(family=family).select_related("author")[:limit]
    events = FamilyEvent.objects.filter(family=family).select_related("actor")[:limit]
    entries = chain(
        (
            TimelineEntry(n.occurred_on, "note", "Case note", n.text, n.author, n.created_at)
            for n in notes
        ),
        (
            TimelineEntry(
                e.occurred_on, e.kind, e.get_kind_display(), e.summary, e.actor, e.created_at
            )
            for e in events
        ),
    )
    return sorted(entries, key=lambda e: (e.on, e.at), reverse=True)[:limit]


# Each kind of timeline entry in words: its heading, and its name in the "type" filter.
TIMELINE_KINDS: dict[str, str] = {"note": "Case note", **dict(FamilyEvent.Kind.choices)}
TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineFilters:
    kind: str = ""  # "note" or a FamilyEvent kind; "" for every kind
    actor: int | None = None  # the worker who recorded the entry


def _timeline_rows(family: Family, filters: TimelineFilters):
    notes = CaseNote.objects.filter(family=family)
    events = FamilyEvent.objects.filter(family=family)
    if filters.kind == "note":
        events = events.none()
    elif filters.kind:
        notes = notes.none()
        events = events.filter(kind=filters.kind)
    if filters.actor:
        notes = notes.filter(author_id=filters.actor)
        events = events.filter(actor_id=filters.actor)
    notes = notes.annotate(
        entry_kind=Value("note", output_field=CharField()),
        entry_text=F("text"),
        entry_actor=F("author_id"),
    ).values_list("occurred_on", "entry_kind", "entry_text", "entry_actor", "created_at", "pk")
    events = events.annotate(
        entry_kind=F("kind"),
        entry_text=Cast("summary", TextField()),
        entry_actor=F("actor_id"),
    ).values_list("occurred_on", "entry_kind", "entry_text", "entry_actor", "created_at", "pk")
    return notes.union(events, all=True).order_by("-occurred_on", "-created_at", "-pk")


def family_timeline_page(
    *,
    family: Family,
    filters: TimelineFilters | None = None,
    page: object = 1,
    per_page: int = TIMELINE_PAGE_SIZE,
) -> Page:
    """One page of the family's notes and events, newest first, filtered by type and by who
    recorded them. Three queries whatever the family's history: the count, the page, its workers."""
    rows = _timeline_rows(family, filters or TimelineFilters())
    page_obj = Paginator(rows, per_page).get_page(page)
    workers = User.objects.in_bulk({row[3] for row in page_obj.object_list if row[3]})
    page_obj.object_list = [
        TimelineEntry(
            on=on,
            kind=kind,
            title=TIMELINE_KINDS.get(kind, kind.replace("_", " ").capitalize()),
            text=text,
            actor=workers.get(actor_id) if actor_id else None,
            at=at,
        )
        for on, kind, text, actor_id, at, _ in page_obj.object_list
    ]
    return page_obj


def timeline_worker_list(*, family: Family) -> list[User]:
    """The workers who recorded something on the family's timeline, for its "who" filter (one query)."""
    authors = CaseNote.objects.filter(family=family).values("author_id")
    actors = FamilyEvent.objects.filter(family=family, actor__isnull=False).values("actor_id")
    return list(
        User.objects.filter(Q(pk__in=authors) | Q(pk__in=actors)).order_by(
            "first_name", "last_name", "username"
        )
    )


def timeline_kind_list(*, family: Family) -> list[tuple[str, str]]:
    """The kinds of entry the family's timeline holds, as (value, words), for its "type" filter."""
    kinds = set(FamilyEvent.objects.filter(family=family).values_list("kind", flat=True).distinct())
    if CaseNote.objects.filter(family=family).exists():
        kinds.add("note")
    return [(k, words) for k, words in TIMELINE_KINDS.items() if k in kinds] + [
        (k, k.replace("_", " ").capitalize()) for k in sorted(kinds - TIMELINE_KINDS.keys())
    ]


def keyworker_list(*, user: User) -> QuerySet[User]:
    """Keyworkers the user may filter or allocate by: their team's, or all for programme-wide roles."""
    workers = User.objects.filter(is_active=True, role=User.Role.KEYWORKER)
    if user.role in SEE_ALL_ROLES:
        return workers
    if user.team_id:
        return workers.filter(team_id=user.team_id)
    return workers.filter(pk=user.pk)


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("family")
