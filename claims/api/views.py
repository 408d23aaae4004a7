"""API for claim batches and claims under /api/v1/.

Reads for the roles that see claims (keyworkers: none, 403); team managers see their team's
families' claims. Actions are POST endpoints that call ONE service each, with the workflow's
rules: a wrong state or a separation-of-duties breach is a clear 400/403, never a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from claims import permissions, selectors, services
from claims.models import Claim, ClaimBatch
from families.access import shown
from families.selectors import family_scope

from . import serializers as s

ERRORS = {
    400: OpenApiResponse(
        description="Bad input or a move the batch's state does not allow: field name → messages."
    ),
    403: OpenApiResponse(
        description="Your role may not do this, or separation of duties forbids it."
    ),
    404: OpenApiResponse(description="No such batch or claim among those you may see."),
}


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class SeesClaims(BasePermission):
    message = "Your role does not include claims."

    def has_permission(self, request, view):
        return permissions.can_view_claims(request.user)


@extend_schema_view(list=extend_schema(parameters=[s.BatchListQuerySerializer]))
class ClaimBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Claim batches: list, read, draft, and move through the workflow."""

    serializer_class = s.ClaimBatchSerializer
    permission_classes = [IsAuthenticated, SeesClaims]
    pagination_class = Pagination
    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ClaimBatch.objects.none()
        status_filter = s.query_params(s.BatchListQuerySerializer, self.request).get("status")
        return selectors.claim_batch_list(user=self.request.user, status=status_filter)

    def get_object(self) -> ClaimBatch:
        return selectors.claim_batch_get(user=self.request.user, reference=self.kwargs["reference"])

    def _batch_response(self, batch: ClaimBatch, code=status.HTTP_200_OK) -> Response:
        batch = selectors.claim_batch_get(user=self.request.user, reference=batch.reference)
        actions = selectors.batch_actions(user=self.request.user, batch=batch)
        return Response(
            s.ClaimBatchSerializer(batch, context={"actions": actions}).data, status=code
        )

    def retrieve(self, request, *args, **kwargs):
        return self._batch_response(self.get_object())

    @extend_schema(request=s.DraftSerializer, responses={201: s.ClaimBatchSerializer, **ERRORS})
    def create(self, request):
        """Draft a batch of every family that can be claimed for (or an empty one)."""
        data = self._parse(s.DraftSerializer)
        call = services.claim_batch_create if data["empty"] else services.claim_batch_draft
        batch = call(actor=request.user, as_of=data["as_of"], note=data["note"])
        return self._batch_response(batch, status.HTTP_201_CREATED)

    def _parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _move(self, service, serializer_class=s.NoteSerializer):
        batch = self.get_object()
        data = self._parse(serializer_class)
        return self._batch_response(service(actor=self.request.user, batch=batch, **data))

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="submit-for-audit")
    def submit_for_audit(self, request, reference=None):
        """Send a draft batch to audit, freezing each claim's evidence."""
        return self._move(services.claim_batch_submit_for_audit)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, reference=None):
        """An auditor signs the batch off (every claim, or every sampled claim, reviewed)."""
        return self._move(services.claim_batch_sign_off)

    @extend_schema(request=s.ReturnSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return-to-draft")
    def return_to_draft(self, request, reference=None):
        """Send the batch back to draft from audit or approval, saying why."""
        return self._move(services.claim_batch_return, s.ReturnSerializer)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, reference=None):
        """A programme manager who neither prepared nor signed off the batch approves it."""
        return self._move(services.claim_batch_approve)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="submit-to-government")
    def submit_to_government(self, request, reference=None):
        """Record that the approved return went to government."""
        return self._move(services.claim_batch_submit_to_government)

    @extend_schema(request=s.PaymentSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="record-payment")
    def record_payment(self, request, reference=None):
        """Reconcile the government's payment (amount, date, claims it rejected)."""
        return self._move(services.claim_batch_record_payment, s.PaymentSerializer)

    @extend_schema(request=s.SampleSerializer, responses={200: s.ClaimBatchSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="draw-sample")
    def draw_sample(self, request, reference=None):
        """Draw the reproducible audit sample (percentage, minimum, optional seed)."""
        batch = self.get_object()
        data = self._parse(s.SampleSerializer)
        services.claim_batch_draw_sample(
            actor=request.user,
            batch=batch,
            percent=data["percent"],
            minimum=data["minimum"],
            seed=data.get("seed"),
        )
        return self._batch_response(batch)

    @extend_schema(request=s.AddClaimSerializer, responses={201: s.ClaimSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="add-claim")
    def add_claim(self, request, reference=None):
        """Add one family's claim to a draft batch."""
        batch = self.get_object()
        data = self._parse(s.AddClaimSerializer)
        family = (
            family_scope(user=request.user).filter(reference=data["family"].strip().upper()).first()
        )
        if family is None:
            return Response(
                {"family": ["There is no family with that reference"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        claim = services.claim_add(
            actor=request.user, batch=batch, family=family, claim_type=data["claim_type"]
        )
        return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ClaimBatchEventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def events(self, request, reference=None):
        """The batch's event log: who did what, when, and the move it made."""
        batch = self.get_object()
        events = list(selectors.batch_events(user=request.user, batch=batch))
        shown(request, [event.claim.family for event in events if event.claim_id])
        return Response(s.ClaimBatchEventSerializer(events, many=True).data)


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Claims the user may see; ?batch=CB-0001 to filter. Actions for auditors and preparers."""

    serializer_class = s.ClaimSerializer
    permission_classes = [IsAuthenticated, SeesClaims]
    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Claim.objects.none()
        batch = None
        reference = s.query_params(s.ClaimListQuerySerializer, self.request).get("batch")
        if reference:
            batch = selectors.claim_batch_get(user=self.request.user, reference=reference)
        return selectors.claim_list(user=self.request.user, batch=batch)

    def get_object(self) -> Claim:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404("No claim with that number") from None
        return selectors.claim_get(user=self.request.user, pk=pk)

    @extend_schema(parameters=[s.ClaimListQuerySerializer])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown(request, list({c.family_id: c.family for c in page}.values()), action="Listed claims")
        return self.get_paginated_response(s.ClaimSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        shown(request, [claim.family], action="Read claim")
        return Response(s.ClaimSerializer(claim).data)

    @extend_schema(responses={200: s.ClaimEvidenceSerializer, **ERRORS})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """The claim's frozen evidence, whether its digest verifies, and what changed since."""
        if not permissions.can_view_evidence(request.user):
            raise PermissionDenied("Your role does not include claim evidence.")
        claim = self.get_object()
        review = selectors.snapshot_review(claim=claim)
        shown(request, [claim.family], action="Read claim evidence")
        return Response(
            s.ClaimEvidenceSerializer(
                {
                    "claim": claim,
                    "snapshot": review.snapshot,
                    "digest_verified": review.digest_verified,
                    "differences": review.differences,
                }
            ).data
        )

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """An auditor verifies the claim against its frozen evidence."""
        claim = self.get_object()
        serializer = s.NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            s.ClaimSerializer(
                services.claim_verify(actor=request.user, claim=claim, **serializer.validated_data)
            ).data
        )

    @extend_schema(request=s.RejectSerializer, responses={200: s.ClaimSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """An auditor rejects the claim with a reason; the family returns to the pool."""
        claim = self.get_object()
        serializer = s.RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            s.ClaimSerializer(
                services.claim_reject(actor=request.user, claim=claim, **serializer.validated_data)
            ).data
        )

    @extend_schema(request=s.NoteSerializer, responses={200: s.ClaimSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Take a claim out of a draft batch."""
        claim = self.get_object()
        serializer = s.NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            s.ClaimSerializer(
                services.claim_remove(actor=request.user, claim=claim, **serializer.validated_data)
            ).data
        )


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("claim-batches", ClaimBatchViewSet, basename="claim-batch")
    router.register("claims", ClaimViewSet, basename="claim")
