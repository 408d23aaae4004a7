"""Django admin for outcomes: term dates are edited here; plans, evaluations and evidence are read-only.

Plans are uploaded and activated through the outcomes pages (which validate them and keep who
did it); evidence is recorded and corrected through its own pages so history is kept.
"""

from django.contrib import admin

from .models import EligibilityRun, Evaluation, Evidence, PlanActivation, PlanVersion, TermDate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermDate)
class TermDateAdmin(admin.ModelAdmin):
    list_display = ("academic_year", "term", "start_date", "end_date")
    list_filter = ("academic_year", "term")
    ordering = ("-academic_year", "start_date")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "version", "source", "uploaded_by", "created_at")
    list_filter = ("slug", "source")
    exclude = ("definition",)


@admin.register(PlanActivation)
class PlanActivationAdmin(ReadOnlyAdmin):
    list_display = ("plan_version", "effective_from", "activated_by", "activated_at")
    list_select_related = ("plan_version", "activated_by")


@admin.register(EligibilityRun)
class EligibilityRunAdmin(ReadOnlyAdmin):
    list_display = (
        "as_of",
        "status",
        "trigger",
        "families_evaluated",
        "changes",
        "failures",
        "duration_seconds",
        "started_at",
    )
    list_filter = ("status", "trigger")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = (
        "family",
        "as_of",
        "plan_version",
        "eligible",
        "claimable_results",
        "claimable_employment",
        "is_current",
    )
    list_filter = ("is_current", "eligible", "claimable_results", "plan_version")
    list_select_related = ("family", "plan_version")
    search_fields = ("family__reference",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("kind", "person", "family", "event_date", "version", "is_current", "source")
    list_filter = ("kind", "is_current", "source")
    list_select_related = ("person", "family")
    search_fields = ("family__reference", "person__reference")
