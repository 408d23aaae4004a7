"""Administration of the council's claim configuration (tariffs, claim dates) and a read-only
view of batches, claims, snapshots and the event log: changes go through the services."""

from django.contrib import admin

from .models import Claim, ClaimBatch, ClaimBatchEvent, ClaimDate, EvidenceSnapshot, Tariff


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = [
        "phase",
        "claim_type",
        "effective_from",
        "effective_to",
        "amount",
        "description",
    ]
    list_filter = ["phase", "claim_type"]


@admin.register(ClaimDate)
class ClaimDateAdmin(admin.ModelAdmin):
    list_display = ["date", "note", "drafted_at"]
    readonly_fields = ["drafted_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimBatch)
class ClaimBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "status",
        "as_of",
        "created_by",
        "signed_off_by",
        "approved_by",
        "paid_on",
    ]
    list_filter = ["status"]
    search_fields = ["reference"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["pk", "batch", "family", "claim_type", "amount", "status"]
    list_filter = ["status", "claim_type", "phase"]
    search_fields = ["family__reference", "batch__reference"]
    list_select_related = ["batch", "family"]


@admin.register(EvidenceSnapshot)
class EvidenceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["pk", "claim", "digest", "taken_at"]
    list_select_related = ["claim__family"]


@admin.register(ClaimBatchEvent)
class ClaimBatchEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "batch", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
