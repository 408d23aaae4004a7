"""API for family records under /api/v1/: families, members, interventions, case notes, consent.

Every read is scoped with `selectors.family_scope`: a family outside the user's scope, and
anything recorded on it, is a 404. Every read of a family record is written to AccessLog
(one row for a detail read; one row per family on the page, in one insert, for a list).
Writes check the role, parse the request and call ONE service; a service's ValidationError
becomes a 400 with field errors (config.api.exception_handler), PermissionDenied a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from families import permissions, selectors, services
from families.models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    Family,
    FamilyProblem,
    Intervention,
    Membership,
)

from . import filters
from . import serializers as s

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


class AccessLoggedMixin:
    """Write every read of family records to AccessLog, as the API reads them."""

    log_noun = "records"

    @staticmethod
    def family_of(obj) -> Family:
        return obj.family

    def log_reads(self, families, action: str) -> None:
        unique = {family.pk: family for family in families}
        services.access_log_record(
            user=self.request.user,
            families=unique.values(),
            via=AccessLog.Via.API,
            action=action,
            path=self.request.path,
        )

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


def _paginated(view, queryset, serializer_class):
    page = view.paginate_queryset(queryset)
    data = serializer_class(page, many=True, context=view.get_serializer_context()).data
    return view.get_paginated_response(data)


def _with_family_list_data(queryset):
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


# --- families -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List the families you may see",
        description="Paginated; filter and order with the query string.",
    ),
    retrieve=extend_schema(
        summary="One family, with its household",
        responses={200: s.FamilyDetailSerializer, 404: ERROR_404},
    ),
    create=extend_schema(
        summary="Create a family at the identified step",
        request=s.FamilyCreateSerializer,
        responses={201: s.FamilySerializer, 400: ERROR_400, 403: ERROR_403},
    ),
)
class FamilyViewSet(
    AccessLoggedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Families in your caseload (keyworkers), your team (team managers) or the programme (others)."""

    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    serializer_class = s.FamilySerializer
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]
    filterset_class = filters.FamilyFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = [
        "reference",
        "name",
        "postcode",
        "status",
        "identified_on",
        "attached_on",
        "updated_at",
    ]
    ordering = ["reference"]
    log_noun = "families"

    @staticmethod
    def family_of(obj) -> Family:
        return obj

    def get_queryset(self):
        families = _with_family_list_data(selectors.family_scope(user=self.request.user))
        if self.action == "retrieve":
            families = families.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("person"))
            )
        return families

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.FamilyDetailSerializer
        return s.FamilySerializer

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.log_reads([instance], "viewed family")
        return Response(self.get_serializer(instance).data)

    def create(self, request, *args, **kwargs):
        if not permissions.can_create_family(request.user):
            raise PermissionDenied("Your role cannot create family records.")
        serializer = s.FamilyCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        family = services.family_create(
            actor=request.user,
            name=data["name"],
            identified_on=data["identified_on"],
            address=data["address"],
            postcode=data["postcode"],
            locality=data["locality"],
            team=data["team"],
            lead_keyworker=data["lead_keyworker"],
            problems=[(item["code"].code, item["evidence"]) for item in data["problems"]],
        )
        return self._family_response(family, status.HTTP_201_CREATED)

    def _family_response(self, family: Family, code: int = status.HTTP_200_OK) -> Response:
        # The record as written, loaded the way a list row is (the writer may be outside its scope,
        # for example a keyworker creating a family another keyworker will lead).
        family = _with_family_list_data(Family.objects.filter(pk=family.pk)).get()
        return Response(
            s.FamilySerializer(family, context=self.get_serializer_context()).data, status=code
        )

    def _managed_family(self, request, message: str) -> Family:
        family = self.get_object()
        if not permissions.can_manage_family(request.user, family):
            raise PermissionDenied(message)
        return family

    @extend_schema(
        summary="Attach an identified family to the programme (managers)",
        request=s.FamilyAttachSerializer,
        responses={200: s.FamilySerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def attach(self, request, reference=None):
        family = self._managed_family(
            request, "Only a team or programme manager can attach a family."
        )
        serializer = s.FamilyAttachSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        family = services.family_attach(
            actor=request.user,
            family=family,
            attached_on=serializer.validated_data["attached_on"],
            keyworker=serializer.validated_data["keyworker"],
        )
        return self._family_response(family)

    @extend_schema(
        summary="Close a family's case with a reason (managers)",
        request=s.FamilyCloseSerializer,
        responses={200: s.FamilySerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, reference=None):
        family = self._managed_family(
            request, "Only a team or programme manager can close a family's case."
        )
        serializer = s.FamilyCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        family = services.family_close(
            actor=request.user,
            family=family,
            closed_on=serializer.validated_data["closed_on"],
            reason=serializer.validated_data["closure_reason"],
        )
        return self._family_response(family)

    # Nested reads: one family's records. Outside scope the family is a 404; a read logs the family.

    def _nested(self, request, queryset, serializer_class, what: str) -> Response:
        family = selectors.family_get(user=request.user, reference=self.kwargs["reference"])
        self.log_reads([family], f"listed family {what}")
        return _paginated(self, queryset.filter(family=family), serializer_class)

    @extend_schema(
        summary="The family's household members, past and present",
        responses={200: s.MembershipSerializer(many=True), 404: ERROR_404},
    )
    @action(
        detail=True, methods=["get"], filter_backends=[], serializer_class=s.MembershipSerializer
    )
    def members(self, request, reference=None):
        queryset = Membership.objects.select_related("person", "family").order_by(
            "start_date", "id"
        )
        return self._nested(request, queryset, s.MembershipSerializer, "members")

    @extend_schema(
        summary="The family's case notes, newest first",
        responses={200: s.CaseNoteSerializer(many=True), 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.CaseNoteSerializer)
    def notes(self, request, reference=None):
        queryset = CaseNote.objects.select_related("author", "family")
        return self._nested(request, queryset, s.CaseNoteSerializer, "notes")

    @extend_schema(
        summary="Services that worked with the family",
        responses={200: s.InterventionSerializer(many=True), 404: ERROR_404},
    )
    @action(
        detail=True, methods=["get"], filter_backends=[], serializer_class=s.InterventionSerializer
    )
    def interventions(self, request, reference=None):
        queryset = Intervention.objects.select_related("worker", "recorded_by", "family")
        return self._nested(request, queryset, s.InterventionSerializer, "interventions")

    @extend_schema(
        summary="What the family agreed to share",
        responses={200: s.ConsentSerializer(many=True), 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.ConsentSerializer)
    def consents(self, request, reference=None):
        queryset = ConsentRecord.objects.select_related("person", "recorded_by", "family")
        return self._nested(request, queryset, s.ConsentSerializer, "consent records")


# --- records on families ------------------------------------------------------------------------


class FamilyRecordViewSet(
    AccessLoggedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Records on families the user may see; writes for roles that change case records."""

    permission_classes = [IsAuthenticated, EditRoleForWrites]
    pagination_class = Pagination
    create_serializer_class: type = None  # type: ignore[assignment]

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset().filter(
            family__in=selectors.family_scope(user=self.request.user)
        )

    def record(self, data):
        """Call the one service that writes this record."""
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        instance = self.record(dict(serializer.validated_data))
        instance = self.base_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def _editable(self, request):
        instance = self.get_object()
        if not permissions.can_edit_family(request.user, instance.family):
            if instance.family.status == Family.Status.CLOSED:
                raise PermissionDenied("This family's case is closed: it can no longer be changed.")
            raise PermissionDenied(EditRoleForWrites.message)
        return instance


def _record_schema(noun: str, create_serializer, output_serializer):
    return extend_schema_view(
        list=extend_schema(summary=f"List {noun} on families you may see"),
        retrieve=extend_schema(
            summary=f"One of the {noun}", responses={200: output_serializer, 404: ERROR_404}
        ),
        create=extend_schema(
            summary=f"Record {noun}",
            request=create_serializer,
            responses={201: output_serializer, 400: ERROR_400, 403: ERROR_403},
        ),
    )


@_record_schema("household members", s.MemberCreateSerializer, s.MembershipSerializer)
class MembershipViewSet(FamilyRecordViewSet):
    """Household memberships, each with its person. Create adds a new person to a household."""

    serializer_class = s.MembershipSerializer
    create_serializer_class = s.MemberCreateSerializer
    filterset_class = filters.MembershipFilter
    log_noun = "family members"

    def base_queryset(self):
        return Membership.objects.select_related("person", "family").order_by(
            "family__reference", "start_date", "id"
        )

    def record(self, data):
        return services.member_add(actor=self.request.user, **data)

    @extend_schema(
        summary="Record that a member left the household",
        request=s.MembershipEndSerializer,
        responses={200: s.MembershipSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def end(self, request, pk=None):
        membership = self._editable(request)
        serializer = s.MembershipEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_end(
            actor=request.user,
            membership=membership,
            end_date=serializer.validated_data["end_date"],
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(membership).data)


@_record_schema("interventions", s.InterventionCreateSerializer, s.InterventionSerializer)
class InterventionViewSet(FamilyRecordViewSet):
    """Services that worked with families, who and when."""

    serializer_class = s.InterventionSerializer
    create_serializer_class = s.InterventionCreateSerializer
    filterset_class = filters.InterventionFilter
    log_noun = "interventions"

    def base_queryset(self):
        return Intervention.objects.select_related("family", "worker", "recorded_by")

    def record(self, data):
        return services.intervention_record(actor=self.request.user, **data)

    @extend_schema(
        summary="Record the date a service stopped working with the family",
        request=s.InterventionEndSerializer,
        responses={200: s.InterventionSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def end(self, request, pk=None):
        intervention = self._editable(request)
        serializer = s.InterventionEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        intervention = services.intervention_end(
            actor=request.user,
            intervention=intervention,
            end_date=serializer.validated_data["end_date"],
        )
        intervention = self.base_queryset().get(pk=intervention.pk)
        return Response(self.get_serializer(intervention).data)


@_record_schema("case notes", s.CaseNoteCreateSerializer, s.CaseNoteSerializer)
class CaseNoteViewSet(FamilyRecordViewSet):
    """Keyworkers' progress notes. Notes are never edited or deleted: a correction is a new note."""

    serializer_class = s.CaseNoteSerializer
    create_serializer_class = s.CaseNoteCreateSerializer
    filterset_class = filters.CaseNoteFilter
    log_noun = "case notes"

    def base_queryset(self):
        return CaseNote.objects.select_related("family", "author")

    def record(self, data):
        return services.case_note_add(actor=self.request.user, **data)


@_record_schema("consent", s.ConsentCreateSerializer, s.ConsentSerializer)
class ConsentViewSet(FamilyRecordViewSet):
    """What families (or members) agreed to share, with whom and when."""

    serializer_class = s.ConsentSerializer
    create_serializer_class = s.ConsentCreateSerializer
    filterset_class = filters.ConsentFilter
    log_noun = "consent records"

    def base_queryset(self):
        return ConsentRecord.objects.select_related("family", "person", "recorded_by")

    def record(self, data):
        return services.consent_record(actor=self.request.user, **data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("families", FamilyViewSet, basename="family")
    router.register("members", MembershipViewSet, basename="member")
    router.register("interventions", InterventionViewSet, basename="intervention")
    router.register("notes", CaseNoteViewSet, basename="note")
    router.register("consents", ConsentViewSet, basename="consent")
