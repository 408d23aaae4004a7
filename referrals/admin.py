"""Admin views of imported partner files: read-only, since rows are kept as received."""

from django.contrib import admin

from .models import ImportFile, ImportRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImportRowInline(admin.TabularInline):
    model = ImportRow
    fields = (
        "row_number",
        "status",
        "matched_person",
        "matched_by",
        "evidence_id",
        "errors",
        "raw",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportFile)
class ImportFileAdmin(ReadOnlyAdmin):
    list_display = (
        "filename",
        "kind",
        "source_name",
        "status",
        "rows_read",
        "rows_applied",
        "rows_unmatched",
        "rows_rejected",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("kind", "status", "mode")
    search_fields = ("filename", "source_name", "sha256")
    inlines = [ImportRowInline]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ("file", "row_number", "status", "matched_person", "matched_by")
    list_filter = ("status", "file__kind")
    list_select_related = ("file", "matched_person")
