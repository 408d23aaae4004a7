"""Families: list, search, read, create, attach and close (GET/POST /api/v1/families/)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from families import permissions, selectors, services
from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    Intervention,
    Membership,
)

from .. import filters
from .. import serializers as s
from .common import (
    ERROR_400,
    ERROR_403,
    ERROR_404,
    AccessLoggedMixin,
    Pagination,
    paginated,
    with_family_list_data,
)


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
        families = with_family_list_data(selectors.family_scope(user=self.request.user))
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
        family = with_family_list_data(Family.objects.filter(pk=family.pk)).get()
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
        return paginated(self, queryset.filter(family=family), serializer_class)

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
        responses={200: s.CaseNoteSerializer(many=True), 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.CaseNoteSerializer)
    def notes(self, request, reference=None):
        selectors.family_get(user=request.user, reference=reference)  # outside scope: 404
        if not permissions.can_read_case_notes(request.user):
            raise PermissionDenied("Your role does not include case notes.")
        queryset = selectors.notes_visible_to(
            user=request.user, notes=CaseNote.objects.select_related("author", "family")
        )
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
