"""Who saw and who changed a family's records: the auditor's page (docs/security.md).

Reads are the family's AccessLog rows. Changes are the django-simple-history rows of every
record that belongs to the family: the family itself, its people (through their household
membership) and every historical model with a ``family`` field, whichever app declares it (found
through the app registry, so this module imports no app above families). One UNION query pages
them newest first; a page costs the same few queries whatever the family's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast

from .models import AccessLog, Family, Membership, User

PAGE_SIZE = 50
KINDS = {"read": "Saw the record", "change": "Changed the record"}
CHANGE_WORDS = {"+": "added", "~": "changed", "-": "deleted"}
VIA_WORDS = dict(AccessLog.Via.choices)
COLUMNS = ("x_at", "x_kind", "x_actor", "x_what", "x_how", "x_record")


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    kind: str  # "read" or "change"
    kind_label: str
    who: User | None
    what: str
    how: str


@dataclass(frozen=True)
class AccessFilters:
    who: int | None = None
    kind: str = ""  # "", "read" or "change"


def _history_models():
    """(historical model, how to filter it to one family) for every record a family owns."""
    found = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or not hasattr(model, "history_type"):
            continue
        names = {f.name for f in model._meta.fields}
        original = getattr(model, "instance_type", None)
        if original is Family:
            found.append((model, "family"))
        elif original is not None and original._meta.label == "families.Person":
            found.append((model, "person"))
        elif "family" in names:
            found.append((model, "family_id"))
    return sorted(found, key=lambda pair: pair[0]._meta.label)


def _changes(model, how: str, family: Family) -> QuerySet:
    rows = model.objects.all()
    if how == "family":
        rows = rows.filter(id=family.pk)
    elif how == "person":
        rows = rows.filter(id__in=Membership.objects.filter(family=family).values("person_id"))
    else:
        rows = rows.filter(family_id=family.pk)
    label = str(model.instance_type._meta.verbose_name).capitalize()
    return rows.annotate(
        x_at=F("history_date"),
        x_kind=Value("change", output_field=CharField()),
        x_actor=F("history_user_id"),
        x_what=Value(label, output_field=CharField()),
        x_how=Cast("history_type", CharField()),
        x_record=Cast("id", IntegerField()),
    ).values_list(*COLUMNS)


def _reads(family: Family) -> QuerySet:
    return (
        AccessLog.objects.filter(family=family)
        .annotate(
            x_at=F("at"),
            x_kind=Value("read", output_field=CharField()),
            x_actor=F("user_id"),
            x_what=F("action"),
            x_how=F("via"),
            x_record=Value(0, output_field=IntegerField()),
        )
        .values_list(*COLUMNS)
    )


def _rows(family: Family, filters: AccessFilters):
    parts = []
    if filters.kind in ("", "read"):
        parts.append(_reads(family))
    if filters.kind in ("", "change"):
        parts += [_changes(model, how, family) for model, how in _history_models()]
    if filters.who:
        parts = [p.filter(x_actor=filters.who) for p in parts]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-x_at") if rest else first.order_by("-x_at")


def family_access_page(*, family: Family, filters: AccessFilters | None = None, page=1) -> Page:
    """One page of who saw and who changed the family's records, newest first (three queries:
    the count, the page, the people on it)."""
    page_obj = Paginator(_rows(family, filters or AccessFilters()), PAGE_SIZE).get_page(page)
    people = User.objects.in_bulk({row[2] for row in page_obj.object_list if row[2]})
    page_obj.object_list = [
        AccessEntry(
            at=at,
            kind=kind,
            kind_label=KINDS[kind],
            who=people.get(actor),
            what=(what if kind == "read" else f"{what} {record}: {CHANGE_WORDS.get(how, how)}"),
            how=VIA_WORDS.get(how, how) if kind == "read" else "",
        )
        for at, kind, actor, what, how, record in page_obj.object_list
    ]
    return page_obj


def access_people(*, family: Family) -> list[User]:
    """Everyone who saw or changed the family's records, for the "who" filter (one query)."""
    readers = AccessLog.objects.filter(family=family).values("user_id")
    changers = [_changes(model, how, family).values("x_actor") for model, how in _history_models()]
    query = Q(pk__in=readers)
    for part in changers:
        query |= Q(pk__in=part)
    return list(User.objects.filter(query).order_by("first_name", "last_name", "username"))
