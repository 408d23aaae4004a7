from django.contrib import admin

from .models import Anonymisation, SubjectAccessExport


@admin.register(SubjectAccessExport)
class SubjectAccessExportAdmin(admin.ModelAdmin):
    list_display = ("person", "prepared_by", "format", "at")
    readonly_fields = ("person", "prepared_by", "reason", "format", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Anonymisation)
class AnonymisationAdmin(admin.ModelAdmin):
    list_display = ("family", "rule", "expired_on", "anonymised_on", "people")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
