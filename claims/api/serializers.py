"""API shapes for claim batches, claims and the actions on them. Parsing only: rules live in
`claims.services`."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from claims.models import Claim, ClaimBatch, ClaimBatchEvent, EvidenceSnapshot


class UserNameField(serializers.Field):
    def to_representation(self, value):
        return value.username if value is not None else None


class ClaimBatchEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ClaimBatchEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "note", "claim"]

    def get_actor(self, obj) -> str | None:
        return obj.actor.username if obj.actor_id else None


class ClaimBatchSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True)
    claim_count = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    created_by = serializers.SerializerMethodField()
    signed_off_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = ClaimBatch
        fields = [
            "reference",
            "status",
            "status_label",
            "as_of",
            "note",
            "claim_count",
            "total",
            "created_by",
            "created_at",
            "submitted_for_audit_at",
            "signed_off_by",
            "signed_off_at",
            "approved_by",
            "approved_at",
            "submitted_at",
            "paid_on",
            "amount_received",
            "sample_percent",
            "sample_minimum",
            "sample_seed",
            "actions",
        ]
        read_only_fields = fields

    def _name(self, user) -> str | None:
        return user.username if user is not None else None

    def get_created_by(self, obj) -> str | None:
        return self._name(obj.created_by)

    def get_signed_off_by(self, obj) -> str | None:
        return self._name(obj.signed_off_by)

    def get_approved_by(self, obj) -> str | None:
        return self._name(obj.approved_by)

    def get_actions(self, obj) -> list[str]:
        actions = self.context.get("actions")
        return sorted(actions) if actions is not None else []


class ClaimSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="batch.reference", read_only=True)
    family = serializers.CharField(source="family.reference", read_only=True)
    claim_type_label = serializers.CharField(source="get_claim_type_display", read_only=True)
    verified_by = serializers.SerializerMethodField()
    snapshot_digest = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "batch",
            "family",
            "claim_type",
            "claim_type_label",
            "phase",
            "amount",
            "status",
            "in_sample",
            "verified_by",
            "verified_at",
            "accepted_on_sample",
            "rejection_reason",
            "snapshot_digest",
        ]
        read_only_fields = fields

    def get_verified_by(self, obj) -> str | None:
        return obj.verified_by.username if obj.verified_by_id else None

    def get_snapshot_digest(self, obj) -> str | None:
        return obj.snapshot.digest if obj.snapshot_id else None


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceSnapshot
        fields = ["id", "digest", "taken_at", "payload"]
        read_only_fields = fields


class ClaimEvidenceSerializer(serializers.Serializer):
    claim = ClaimSerializer()
    snapshot = SnapshotSerializer(allow_null=True)
    digest_verified = serializers.BooleanField()
    differences = serializers.ListField(child=serializers.CharField())


class DraftSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    empty = serializers.BooleanField(
        required=False, default=False, help_text="Start with no claims"
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why the batch is going back to draft",
            "blank": "Enter why the batch is going back to draft",
        },
    )


class AddClaimSerializer(serializers.Serializer):
    family = serializers.CharField(max_length=20, help_text="Family reference")
    claim_type = serializers.ChoiceField(choices=["attachment", "results", "continuous_employment"])


class SampleSerializer(serializers.Serializer):
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    minimum = serializers.IntegerField(min_value=0)
    seed = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**63 - 1
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": "Enter why the claim is rejected",
            "blank": "Enter why the claim is rejected",
        },
    )


class PaymentSerializer(serializers.Serializer):
    amount_received = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    paid_on = serializers.DateField()
    rejections = serializers.DictField(
        child=serializers.CharField(max_length=2000),
        required=False,
        default=dict,
        help_text="Claim id → the reason government gave for rejecting it",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_rejections(self, value):
        try:
            return {int(k): v for k, v in value.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError("Name each rejected claim by its id") from None


class BatchListQuerySerializer(serializers.Serializer):
    """The batch list's query string: an unknown status is a 400 naming it."""

    status = serializers.ChoiceField(
        choices=ClaimBatch._meta.get_field("status").choices,
        required=False,
        help_text="Only batches in this state",
    )


class ClaimListQuerySerializer(serializers.Serializer):
    """The claim list's query string."""

    batch = serializers.RegexField(
        r"^[A-Za-z0-9-]{1,40}$",
        required=False,
        help_text="Only claims in this batch, by its reference (for example CB-0001)",
        error_messages={"invalid": "Enter a batch reference, like CB-0001"},
    )


def query_params(serializer_class, request) -> dict:
    """The validated query string, or a 400 with the field errors."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data
