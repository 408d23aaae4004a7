"""Query-string filters for the family record API (django-filter).

Filters narrow a queryset that is already scoped to what the user may see; they never widen it.
A malformed value (a date that is not a date, a status that does not exist) is a 400 naming the
parameter, never a 500.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from families import identifiers
from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyProblem,
    Intervention,
    Locality,
    Membership,
    Problem,
)


class StrictBooleanField(forms.Field):
    """true or false (1/0, yes/no); anything else is an error, not "no filter"."""

    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Enter true or false", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.STR)
class ProblemCodeFilter(django_filters.ModelChoiceFilter):
    """A problem named by its code (crime_asb, school_attendance, ...)."""


class FamilyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search by family name, member name, family or person reference, or postcode",
    )
    status = django_filters.ChoiceFilter(choices=Family.Status.choices)
    locality = django_filters.ModelChoiceFilter(
        queryset=Locality.objects.all(), label="Locality id"
    )
    problem = ProblemCodeFilter(
        queryset=Problem.objects.all(),
        to_field_name="code",
        method="filter_problem",
        label="Problem code the family was identified with",
    )
    keyworker = django_filters.CharFilter(
        field_name="lead_keyworker__username", label="Lead keyworker's username"
    )
    postcode = django_filters.CharFilter(
        method="filter_postcode", label="A full postcode (OX4 1AB) or its first half (OX4)"
    )
    identified_on = django_filters.DateFromToRangeFilter(
        label="Date identified: identified_on_after and identified_on_before (YYYY-MM-DD, inclusive)"
    )
    attached_on = django_filters.DateFromToRangeFilter(
        label="Attachment date: attached_on_after and attached_on_before (YYYY-MM-DD, inclusive)"
    )

    class Meta:
        model = Family
        fields = ["q", "status", "locality", "problem", "keyworker", "postcode"]

    def filter_q(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        compact = term.replace(" ", "")
        member_match = Membership.objects.filter(family=OuterRef("pk")).filter(
            Q(person__first_name__icontains=term)
            | Q(person__last_name__icontains=term)
            | Q(person__reference__iexact=term)
        )
        return queryset.filter(
            Q(reference__iexact=term)
            | Q(name__icontains=term)
            | Q(postcode__icontains=term)
            | Q(postcode__iexact=identifiers.normalise_postcode(compact))
            | Exists(member_match)
        )

    def filter_problem(self, queryset, name, value):
        return queryset.filter(
            Exists(FamilyProblem.objects.filter(family=OuterRef("pk"), problem=value))
        )

    def filter_postcode(self, queryset, name, value):
        compact = "".join(value.split()).upper()
        if not compact:
            return queryset
        if identifiers.postcode_problem(compact) is None:
            return queryset.filter(postcode__iexact=identifiers.normalise_postcode(compact))
        # The outward code alone ("OX4") matches every postcode in that district, not OX44.
        return queryset.filter(postcode__istartswith=f"{compact} ")


class _FamilyRecordFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(field_name="family__reference", label="Family reference")


class MembershipFilter(_FamilyRecordFilter):
    current = StrictBooleanFilter(
        method="filter_current", label="true: still in the household; false: has left"
    )
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = ["family", "current", "role"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value)


class InterventionFilter(_FamilyRecordFilter):
    service = django_filters.ChoiceFilter(choices=Intervention.Service.choices)
    current = StrictBooleanFilter(
        method="filter_current", label="true: still working with the family; false: ended"
    )

    class Meta:
        model = Intervention
        fields = ["family", "service", "current"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value)


class CaseNoteFilter(_FamilyRecordFilter):
    occurred_on = django_filters.DateFromToRangeFilter(
        label="Date of the note: occurred_on_after and occurred_on_before (YYYY-MM-DD, inclusive)"
    )

    class Meta:
        model = CaseNote
        fields = ["family"]


class ConsentFilter(_FamilyRecordFilter):
    current = StrictBooleanFilter(
        method="filter_current", label="true: not withdrawn; false: withdrawn"
    )

    class Meta:
        model = ConsentRecord
        fields = ["family", "current"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(withdrawn_on__isnull=value)
