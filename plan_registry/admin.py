from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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


# A programme's volunteer_relation, as the plan's data writes it (plan_5th.yaml: volunteer_programs).
VOLUNTEER_RELATIONS = {
    "core": _("Volunteer programme"),
    "related": _("Related programme (community supporters)"),
    "": _("No volunteer involvement"),
}


class VolunteerRelationFilter(admin.SimpleListFilter):
    title = _("volunteer relation")
    parameter_name = "volunteer_relation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(value or "none", label) for value, label in VOLUNTEER_RELATIONS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(volunteer_relation="")
        if value in VOLUNTEER_RELATIONS:
            return queryset.filter(volunteer_relation=value)
        return queryset


@admin.register(Programme)
class ProgrammeAdmin(PlanPages, admin.ModelAdmin[Programme]):
    list_display = ["name", "initiative", "unit", "relation"]
    list_filter = [VolunteerRelationFilter, "initiative__number"]
    search_fields = ["name", "summary"]

    @admin.display(description=_("volunteer relation"), ordering="volunteer_relation")
    def relation(self, programme: Programme) -> str:
        return str(VOLUNTEER_RELATIONS.get(programme.volunteer_relation, programme.volunteer_relation))


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
