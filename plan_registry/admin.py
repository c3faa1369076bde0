from django.contrib import admin

from core.access import RoleAdmin
from plan_registry.models import Area, BasicPolicy, Indicator, IndicatorValue, Initiative, Plan, Programme
from plan_registry.permissions import PlanOfficeOnly

# The role names are the people app's (a test holds them equal), as in plan_registry.permissions.
CITY_STAFF = ("coordinator", "plan_office", "administrator")


class PlanPages(RoleAdmin):
    """The plan's structure and indicators: every city role reads them, the plan office keeps them."""

    view_roles = CITY_STAFF
    change_roles = PlanOfficeOnly.roles


@admin.register(Plan)
class PlanAdmin(PlanPages, admin.ModelAdmin[Plan]):
    list_display = ["title", "code", "start_fiscal_year", "end_fiscal_year", "is_current"]


@admin.register(BasicPolicy)
class BasicPolicyAdmin(PlanPages, admin.ModelAdmin[BasicPolicy]):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]


@admin.register(Initiative)
class InitiativeAdmin(PlanPages, admin.ModelAdmin[Initiative]):
    list_display = ["number", "title", "viewpoint"]


@admin.register(Programme)
class ProgrammeAdmin(PlanPages, admin.ModelAdmin[Programme]):
    list_display = ["name", "initiative", "unit", "volunteer_relation"]
    list_filter = ["volunteer_relation", "initiative__number"]
    search_fields = ["name", "summary"]


class IndicatorValueInline(PlanPages, admin.TabularInline[IndicatorValue, Indicator]):
    model = IndicatorValue
    extra = 0
    fields = ("fiscal_year", "area", "value", "source", "note", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Indicator)
class IndicatorAdmin(PlanPages, admin.ModelAdmin[Indicator]):
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
class AreaAdmin(RoleAdmin, admin.ModelAdmin[Area]):
    """The city's areas: read by every city role, kept by administrators (scopes hang on them)."""

    view_roles = CITY_STAFF
    change_roles = ("administrator",)
    list_display = ["name", "code", "kind", "parent", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "code"]
