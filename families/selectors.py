"""Reads of family records, already scoped to what the user may see.

A family outside the user's scope does not exist for them: `family_get` raises Http404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from .identifiers import normalise_postcode
from .models import (
    CaseNote,
    CaseNoteFile,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    FamilyWorker,
    Intervention,
    Membership,
    Notification,
    PartnerProfessional,
    Person,
    StepChange,
    Team,
    User,
)
from .permissions import SEE_ALL_ROLES, can_read_case_notes, can_see_team


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
    return family.consents.select_related("person", "recorded_by", "withdrawal_recorded_by")


def _consent_covers(person_id) -> Q:
    """Consent records about a person: their own, and their families' whole-family records."""
    return Q(person_id=person_id) | Q(person__isnull=True, family__memberships__person_id=person_id)


def people_with_consent_withdrawn(*, on: date | None = None) -> QuerySet[Person]:
    """Everyone whose consent to share is withdrawn on a date (today by default) and not given
    again since, annotated with `consent_withdrawn_on` (their latest withdrawal).

    A withdrawal counts from its date; consent given again on or after that date (a new record,
    still in force) ends it. Partner imports add no new evidence for these people, and the
    council's exports leave them out: `Person.objects.exclude(pk__in=...values("pk"))`.
    Unscoped: callers are imports and exports that apply their own access rules."""
    on = on or timezone.localdate()
    fresh = ConsentRecord.objects.filter(
        _consent_covers(OuterRef(OuterRef("pk"))),
        given_on__gte=OuterRef("withdrawn_on"),
    ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
    withdrawals = (
        ConsentRecord.objects.filter(_consent_covers(OuterRef("pk")), withdrawn_on__lte=on)
        .filter(~Exists(fresh))
        .order_by("-withdrawn_on")
    )
    return Person.objects.filter(Exists(withdrawals)).annotate(
        consent_withdrawn_on=Subquery(withdrawals.values("withdrawn_on")[:1])
    )


def consent_withdrawn_on(*, person_ids, on: date | None = None) -> dict[int, date]:
    """For those of these people whose consent is withdrawn: the date it was withdrawn (one query)."""
    return dict(
        people_with_consent_withdrawn(on=on)
        .filter(pk__in=list(person_ids))
        .values_list("pk", "consent_withdrawn_on")
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # "note" or an event kind
    title: str
    text: str
    actor: User | None
    at: object


# Each kind of timeline entry in words: its heading, and its name in the "type" filter.
TIMELINE_KINDS: dict[str, str] = {"note": "Case note", **dict(FamilyEvent.Kind.choices)}
TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineFilters:
    kind: str = ""  # "note" or a FamilyEvent kind; "" for every kind
    actor: int | None = None  # the worker who recorded the entry
    # A member of the family: the case notes of the visits, calls and meetings they were at
    # (events name no member, so none show with this filter).
    member: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.kind or self.actor or self.member)


def _timeline_rows(family: Family, filters: TimelineFilters, user: User | None):
    notes = notes_visible_to(user=user, family=family)
    events = FamilyEvent.objects.filter(family=family)
    if filters.kind == "note":
        events = events.none()
    elif filters.kind:
        notes = notes.none()
        events = events.filter(kind=filters.kind)
    if filters.actor:
        notes = notes.filter(author_id=filters.actor)
        events = events.filter(actor_id=filters.actor)
    if filters.member:
        notes = notes.filter(present__id=filters.member)
        events = events.none()
    columns = (
        "occurred_on",
        "entry_kind",
        "entry_text",
        "entry_actor",
        "created_at",
        "pk",
        "note_kind",
        "note_sensitive",
    )
    notes = notes.annotate(
        entry_kind=Value("note", output_field=CharField()),
        entry_text=Cast("visible_text", TextField()),
        entry_actor=F("author_id"),
        note_kind=F("kind"),
        note_sensitive=F("sensitive"),
    ).values_list(*columns)
    events = events.annotate(
        entry_kind=F("kind"),
        entry_text=Cast("summary", TextField()),
        entry_actor=F("actor_id"),
        note_kind=Value("", output_field=CharField()),
        note_sensitive=Value(False, output_field=BooleanField()),
    ).values_list(*columns)
    return notes.union(events, all=True).order_by("-occurred_on", "-created_at", "-pk")


def family_timeline_page(
    *,
    family: Family,
    user: User | None,
    filters: TimelineFilters | None = None,
    page: object = 1,
    per_page: int = TIMELINE_PAGE_SIZE,
) -> Page:
    """One page of the family's notes and events, newest first, filtered by type and by who
    recorded them. Three queries whatever the family's history: the count, the page, its workers.
    A sensitive note's text shows only to those who may read it (`notes_visible_to`); without a
    user, no sensitive note's text shows."""
    rows = _timeline_rows(family, filters or TimelineFilters(), user)
    page_obj = Paginator(rows, per_page).get_page(page)
    workers = User.objects.in_bulk({row[3] for row in page_obj.object_list if row[3]})
    page_obj.object_list = [
        TimelineEntry(
            on=on,
            kind=kind,
            title=(
                note_heading(note_kind, sensitive=sensitive)
                if kind == "note"
                else TIMELINE_KINDS.get(kind, kind.replace("_", " ").capitalize())
            ),
            text=text,
            actor=workers.get(actor_id) if actor_id else None,
            at=at,
        )
        for on, kind, text, actor_id, at, _, note_kind, sensitive in page_obj.object_list
    ]
    return page_obj


def timeline_worker_list(*, family: Family, user: User | None = None) -> list[User]:
    """The workers who recorded something on the family's timeline, for its "who" filter (one query)."""
    authors = notes_visible_to(user=user, family=family).values("author_id")
    actors = FamilyEvent.objects.filter(family=family, actor__isnull=False).values("actor_id")
    return list(
        User.objects.filter(Q(pk__in=authors) | Q(pk__in=actors)).order_by(
            "first_name", "last_name", "username"
        )
    )


def timeline_kind_list(*, family: Family, user: User | None = None) -> list[tuple[str, str]]:
    """The kinds of entry the family's timeline holds, as (value, words), for its "type" filter."""
    kinds = set(FamilyEvent.objects.filter(family=family).values_list("kind", flat=True).distinct())
    if notes_visible_to(user=user, family=family).exists():
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


# --- case notes ----------------------------------------------------------------------------------

SENSITIVE_WITHHELD = "A sensitive note was recorded here. Only the lead keyworker, its author and managers can read it."


def _may_read_sensitive(user: User | None) -> Q:
    """Notes whose text the user may read, as SQL: what `permissions.can_read_sensitive_notes`
    says, family by family, plus the notes the user wrote."""
    if user is None or not user.is_authenticated:
        return Q(sensitive=False)
    if user.role == User.Role.PROGRAMME_MANAGER:
        return Q(pk__isnull=False)
    readable = Q(sensitive=False) | Q(author_id=user.pk)
    if user.role == User.Role.TEAM_MANAGER and user.team_id is not None:
        return readable | Q(family__team_id=user.team_id)
    return readable | Q(family__lead_keyworker_id=user.pk)


def notes_visible_to(
    *, user: User | None, family: Family | None = None, notes: QuerySet[CaseNote] | None = None
) -> QuerySet[CaseNote]:
    """Case notes (the family's, or those given) with `text_withheld` and `visible_text`: a
    sensitive note's text is replaced unless the user is the family's lead keyworker, the note's
    author or a manager who sees the family. A role that reads no notes (a data officer) gets
    none. Scope the families first; this only hides what the user may not read."""
    if notes is None:
        notes = CaseNote.objects.all()
    if user is not None and not can_read_case_notes(user):
        notes = notes.none()  # a data officer reads no case notes at all
    if family is not None:
        notes = notes.filter(family=family)
    may_read = _may_read_sensitive(user)
    return notes.annotate(
        text_withheld=Case(
            When(may_read, then=Value(False)), default=Value(True), output_field=BooleanField()
        ),
        visible_text=Case(
            When(may_read, then=F("text")),
            default=Value(SENSITIVE_WITHHELD),
            output_field=CharField(),
        ),
    )


def note_title(note: CaseNote) -> str:
    """How a note is headed in the timeline: its type, and whether it is sensitive."""
    return note_heading(note.kind, sensitive=note.sensitive)


def note_heading(kind: str, *, sensitive: bool) -> str:
    words = CaseNote.Kind(kind).label.lower() if kind else ""
    title = "Case note" if kind in ("", CaseNote.Kind.OTHER) else f"Case note: {words}"
    return f"{title} (sensitive)" if sensitive else title


def case_note_list(*, user: User, family: Family, limit: int | None = None) -> list[CaseNote]:
    """The family's notes, newest first, with who was there and their files (four queries)."""
    notes = (
        notes_visible_to(user=user, family=family)
        .select_related("author")
        .prefetch_related(
            Prefetch("present", queryset=Person.objects.order_by("first_name")),
            Prefetch("files", queryset=CaseNoteFile.objects.order_by("uploaded_at", "id")),
        )
    )
    return list(notes[:limit] if limit else notes)


def case_note_file_get(*, user: User, family: Family, note_id: int, file_id: int) -> CaseNoteFile:
    """A file on one of the family's notes (the family already in the user's scope), or Http404;
    PermissionDenied if it is on a sensitive note the user may not read, or the user's role
    reads no case notes."""
    if not can_read_case_notes(user):
        raise PermissionDenied("Your role does not include case notes.")
    try:
        note = notes_visible_to(user=user, family=family).get(pk=note_id)
        stored = note.files.get(pk=file_id)
    except (CaseNote.DoesNotExist, CaseNoteFile.DoesNotExist):
        raise Http404("No such file on this family's notes") from None
    if note.text_withheld:
        raise PermissionDenied(
            "This file is on a sensitive note: only the lead keyworker and managers can open it."
        )
    return stored


# --- the team around the family ------------------------------------------------------------------


def current_step(*, family: Family) -> StepChange | None:
    """The family's latest step change (up to children's social care, or down), or None."""
    return family.step_changes.select_related("recorded_by").first()


def step_label(step: StepChange | None) -> str:
    """The family's current step in words."""
    if step is None:
        return "Early help"
    if step.direction == StepChange.Direction.UP:
        return "Children's social care (stepped up)"
    return "Early help (stepped down from children's social care)"


def step_change_list(*, family: Family) -> QuerySet[StepChange]:
    return family.step_changes.select_related("recorded_by")


def with_stepped_down_on(families: QuerySet[Family]) -> QuerySet[Family]:
    """Families annotated with `stepped_down_on`, the date outcomes read "at step down" use
    (Worcestershire: "at case closure/step down from original level of support"): the family's
    latest step change, when it is a step down after the attachment date *and* the family was at
    children's social care when it was attached (its latest step change on or before that day
    was a step up). No extra query: subqueries in the families' own.

    Anything else gives None, the reading that cannot claim a result on a step down that is not
    one from the support the family started with: a step down later reversed by a step up; one
    on or before the attachment date (how the family came to early help); and a family attached
    at early help, escalated to social care and stepped back down, which is back at its
    original level, not below it. Such families are read at case closure.
    """
    changes = StepChange.objects.filter(family=OuterRef("pk")).order_by(
        "-occurred_on", "-created_at", "-id"
    )
    at_attachment = changes.filter(occurred_on__lte=OuterRef("attached_on"))
    return families.annotate(
        _latest_step=Subquery(changes.values("direction")[:1]),
        _latest_step_on=Subquery(changes.values("occurred_on")[:1]),
        _step_at_attachment=Subquery(at_attachment.values("direction")[:1]),
    ).annotate(
        stepped_down_on=Case(
            When(
                _latest_step=StepChange.Direction.DOWN,
                _step_at_attachment=StepChange.Direction.UP,
                attached_on__isnull=False,
                _latest_step_on__gt=F("attached_on"),
                then=F("_latest_step_on"),
            ),
            default=None,
            output_field=DateField(),
        )
    )


def stepped_down_on(*, family_ids) -> dict[int, date]:
    """Each family's step-down date as outcomes read it (`with_stepped_down_on`), where it has one."""
    rows = with_stepped_down_on(Family.objects.filter(pk__in=list(family_ids))).values_list(
        "pk", "stepped_down_on"
    )
    return {pk: on for pk, on in rows if on is not None}


def named_worker_list(*, family: Family) -> QuerySet[FamilyWorker]:
    return family.named_workers.select_related("user", "user__team").order_by(
        "user__first_name", "user__last_name"
    )


def partner_professional_list(*, family: Family) -> list[PartnerProfessional]:
    """The family's partner professionals: current first (the lead professional at the top)."""
    partners = list(family.partners.select_related("recorded_by"))
    partners.sort(key=lambda p: (p.to_date is not None, not p.is_lead_professional, p.name))
    return partners


def worker_choices(*, user: User, family: Family) -> QuerySet[User]:
    """Keyworkers the user may make lead keyworker of, or name on, the family: those of its team
    (programme managers: any team's, when the family has none)."""
    workers = User.objects.filter(is_active=True, role=User.Role.KEYWORKER).select_related("team")
    if family.team_id is not None:
        return workers.filter(team_id=family.team_id)
    return keyworker_list(user=user)


# --- teams ---------------------------------------------------------------------------------------


def team_list(*, user: User) -> QuerySet[Team]:
    """Teams whose page the user may open."""
    teams = Team.objects.all()
    if user.role in SEE_ALL_ROLES:
        return teams
    if user.role == User.Role.TEAM_MANAGER and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def team_get(*, user: User, team_id: int | None) -> Team:
    if not can_see_team(user, team_id):
        raise Http404("No such team for you")
    try:
        return Team.objects.get(pk=team_id)
    except Team.DoesNotExist:
        raise Http404("No such team") from None


@dataclass(frozen=True)
class TeamOverview:
    team: Team
    keyworkers: list[User]  # each with open_led and open_named counts
    unallocated: list[Family]
    families: QuerySet[Family]


def team_overview(*, user: User, team: Team) -> TeamOverview:
    """A team's keyworkers with their open caseloads, its unallocated families and all its
    families (a fixed number of queries, whatever the team's size)."""
    if not can_see_team(user, team.pk):
        raise Http404("No such team for you")
    open_families = ~Q(status=Family.Status.CLOSED)
    keyworkers = list(
        User.objects.filter(team=team, role=User.Role.KEYWORKER, is_active=True)
        .annotate(
            open_led=Coalesce(
                Subquery(
                    Family.objects.filter(open_families, lead_keyworker=OuterRef("pk"))
                    .values("lead_keyworker")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            open_named=Coalesce(
                Subquery(
                    FamilyWorker.objects.filter(user=OuterRef("pk"))
                    .exclude(family__status=Family.Status.CLOSED)
                    .values("user")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("first_name", "last_name", "username")
    )
    families = (
        Family.objects.filter(team=team)
        .select_related("lead_keyworker", "locality")
        .order_by("status", "name", "reference")
    )
    unallocated = list(
        families.filter(open_families, lead_keyworker__isnull=True).order_by(
            "identified_on", "reference"
        )
    )
    return TeamOverview(
        team=team, keyworkers=keyworkers, unallocated=unallocated, families=families
    )
