"""Django admin: the council's yearly identification targets."""

from django.contrib import admin

from .models import IdentificationTarget


@admin.register(IdentificationTarget)
class IdentificationTargetAdmin(admin.ModelAdmin):
    list_display = ("label", "year_start", "families_to_identify", "families_to_attach")
    ordering = ("year_start",)
