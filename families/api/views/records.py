"""Records on families: members, interventions, case notes and consent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
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
    EditRoleForWrites,
    Pagination,
    ReadsCaseNotes,
)


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

    def end_with(self, request, serializer_class, end):
        """Parse the request with ``serializer_class`` and call ``end(record, data)``: the one
        service that ends the record (a member leaving, a service stopping)."""
        record = self._editable(request)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended = end(record, serializer.validated_data)
        return Response(self.get_serializer(self.base_queryset().get(pk=ended.pk)).data)

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
        return self.end_with(
            request,
            s.MembershipEndSerializer,
            lambda membership, data: services.membership_end(
                actor=request.user,
                membership=membership,
                end_date=data["end_date"],
                reason=data["reason"],
            ),
        )


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
        return self.end_with(
            request,
            s.InterventionEndSerializer,
            lambda intervention, data: services.intervention_end(
                actor=request.user, intervention=intervention, end_date=data["end_date"]
            ),
        )


@_record_schema("case notes", s.CaseNoteCreateSerializer, s.CaseNoteSerializer)
class CaseNoteViewSet(FamilyRecordViewSet):
    """Keyworkers' progress notes. Notes are never edited or deleted: a correction is a new note."""

    serializer_class = s.CaseNoteSerializer
    create_serializer_class = s.CaseNoteCreateSerializer
    filterset_class = filters.CaseNoteFilter
    log_noun = "case notes"
    permission_classes = [IsAuthenticated, ReadsCaseNotes, EditRoleForWrites]

    def base_queryset(self):
        # A sensitive note's text only for those who may read it (families.selectors).
        return selectors.notes_visible_to(
            user=self.request.user, notes=CaseNote.objects.select_related("family", "author")
        )

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
