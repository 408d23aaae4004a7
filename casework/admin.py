from django.contrib import admin

from .models import (
    Action,
    Assessment,
    FamilyPlan,
    Goal,
    Review,
    StarArea,
    StarDefinition,
    StarReading,
)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("family", "version", "completed_on", "completed_by")
    readonly_fields = [f.name for f in Assessment._meta.fields]


@admin.register(FamilyPlan)
class FamilyPlanAdmin(admin.ModelAdmin):
    list_display = ("family", "next_review_on")
    readonly_fields = [f.name for f in FamilyPlan._meta.fields]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("plan", "text", "status")
    readonly_fields = [f.name for f in Goal._meta.fields]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("text", "due_on", "done_on")
    readonly_fields = [f.name for f in Action._meta.fields]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("plan", "held_on", "next_review_on")
    readonly_fields = [f.name for f in Review._meta.fields]


# --- Outcomes Stars: the Stars are configured here; readings are case records, read only -------


class StarAreaInline(admin.TabularInline):
    model = StarArea
    extra = 0
    fields = ("position", "identifier", "name")


@admin.register(StarDefinition)
class StarDefinitionAdmin(admin.ModelAdmin):
    """A Star's name, scale and areas (short names only: the scale descriptions are licensed)."""

    list_display = ("name", "subject", "scale_min", "scale_max", "active")
    inlines = [StarAreaInline]


@admin.register(StarReading)
class StarReadingAdmin(admin.ModelAdmin):
    list_display = ("definition", "family", "person", "read_on", "kind")
    readonly_fields = [f.name for f in StarReading._meta.fields]

    def has_add_permission(self, request):
        return False
