"""What the family API's viewsets share: paging, the edit-role check, the access log."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiResponse
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from families import access, permissions
from families.models import (
    Family,
    FamilyProblem,
)

ERROR_400 = OpenApiResponse(description="Bad input: an object of field name to a list of messages.")
ERROR_403 = OpenApiResponse(
    description="Your role may not do this, or the family's case is closed."
)
ERROR_404 = OpenApiResponse(description="No such record among the families you may see.")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class EditRoleForWrites(BasePermission):
    """Reads for every signed-in role; writes only for roles that change case records."""

    message = "Your role can read family records but not change them."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return request.user.role in permissions.EDIT_ROLES


class ReadsCaseNotes(BasePermission):
    """Case notes are not for every role that sees the family: a data officer reads none."""

    message = "Your role does not include case notes."

    def has_permission(self, request, view):
        return permissions.can_read_case_notes(request.user)


class AccessLoggedMixin:
    """Note every read of family records for the access log (config.access_log writes it)."""

    log_noun = "records"

    @staticmethod
    def family_of(obj) -> Family:
        return obj.family

    def log_reads(self, families, action: str) -> None:
        unique = {family.pk: family for family in families}
        access.shown(self.request, unique.values(), action=action)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self.log_reads((self.family_of(row) for row in rows), f"listed {self.log_noun}")
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.log_reads([self.family_of(instance)], f"viewed {self.log_noun}")
        return Response(self.get_serializer(instance).data)


def paginated(view, queryset, serializer_class):
    page = view.paginate_queryset(queryset)
    data = serializer_class(page, many=True, context=view.get_serializer_context()).data
    return view.get_paginated_response(data)


def with_family_list_data(queryset):
    """Load what a family row shows in a constant number of queries."""
    return (
        queryset.select_related("locality", "team", "lead_keyworker")
        .prefetch_related(
            Prefetch(
                "problems",
                queryset=FamilyProblem.objects.select_related("problem").order_by(
                    "problem__number"
                ),
            )
        )
        .annotate(member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True)))
    )
