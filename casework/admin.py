from django.contrib import admin

from .models import Action, Assessment, FamilyPlan, Goal, Review


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
