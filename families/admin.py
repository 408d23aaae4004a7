"""Django admin for administrators: users, teams, localities, and read-mostly case records."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from . import security
from .models import (
    AccessLog,
    Family,
    FamilyEvent,
    Locality,
    Notification,
    Person,
    Problem,
    SecurityEvent,
    Team,
    User,
)


@admin.register(User)
class CouncilUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ("role", "team")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Role", {"fields": ("role", "team")}),)


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ("name", "area")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "locality")


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("number", "code", "short_title")

    def has_delete_permission(self, request, obj=None):
        return False  # problem codes are a stable interface


@admin.register(Family)
class FamilyAdmin(SimpleHistoryAdmin):
    """Case records change through the service's pages so that rules and events apply; admin reads."""

    list_display = ("reference", "name", "status", "lead_keyworker", "team", "locality")
    list_filter = ("status", "locality", "team")
    search_fields = ("reference", "name", "postcode")
    list_select_related = ("lead_keyworker", "team", "locality")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "first_name", "last_name", "date_of_birth")
    search_fields = ("reference", "first_name", "last_name", "upn", "ni_number")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "family", "via", "action")
    list_filter = ("via",)
    list_select_related = ("user", "family")
    search_fields = ("family__reference", "user__username")


@admin.register(FamilyEvent)
class FamilyEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_on", "family", "kind", "summary", "actor")
    list_select_related = ("family", "actor")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "kind", "message", "read_at")


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """Sign-ins, failures, lockouts, second factors, sessions ended and API tokens: read-only."""

    list_display = ("at", "kind", "username", "ip_address", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ApiTokenAdmin(TokenAdmin):
    """API tokens: an administrator sees when each expires and can revoke (delete) it; tokens
    are issued only by the token endpoint."""

    list_display = ("user", "created", "expires")
    readonly_fields = ("user", "created")
    fields = ("user", "created")

    @admin.display(description="Expires")
    def expires(self, obj):
        return security.token_expires_at(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        security.token_revoke(obj.user, request=request, detail="Revoked by an administrator")
