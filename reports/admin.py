"""Django admin: the council's yearly identification targets and its unit costs."""

from django.contrib import admin

from .models import IdentificationTarget, UnitCost


@admin.register(IdentificationTarget)
class IdentificationTargetAdmin(admin.ModelAdmin):
    list_display = ("label", "year_start", "families_to_identify", "families_to_attach")
    ordering = ("year_start",)


@admin.register(UnitCost)
class UnitCostAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "cost", "updated_at")
    search_fields = ("name", "source")
    fields = ("name", "unit", "cost", "source")
