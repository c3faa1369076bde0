from django.contrib import admin

from plan_registry.models import Area, BasicPolicy, Indicator, IndicatorValue, Initiative, Plan, Programme


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["title", "code", "start_fiscal_year", "end_fiscal_year", "is_current"]


@admin.register(BasicPolicy)
class BasicPolicyAdmin(admin.ModelAdmin[BasicPolicy]):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin[Initiative]):
    list_display = ["number", "title", "viewpoint"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["name", "initiative", "unit", "volunteer_relation"]
    list_filter = ["volunteer_relation", "initiative__number"]
    search_fields = ["name", "summary"]


class IndicatorValueInline(admin.TabularInline[IndicatorValue, Indicator]):
    model = IndicatorValue
    extra = 0
    fields = ("fiscal_year", "area", "value", "source", "note", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = [
        "label",
        "name",
        "plan",
        "unit",
        "direction",
        "source",
        "baseline_fiscal_year",
        "baseline_value",
        "target_fiscal_year",
        "target_value",
    ]
    list_filter = ["plan", "source", "direction"]
    inlines = [IndicatorValueInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "kind", "parent", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "code"]
