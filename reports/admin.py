from django.contrib import admin

from .models import UnitCost


@admin.register(UnitCost)
class UnitCostAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "cost", "updated_at")
    search_fields = ("name", "source")
    fields = ("name", "unit", "cost", "source")
