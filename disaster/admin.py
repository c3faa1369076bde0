"""Staff pages of disaster mode: the headquarters keeps the list of designated shelters (shelter
staff look them up); a shelter's status and its disaster change only through the open and close
services, and declarations only through the declaration services (with their audit rows), so the
disasters and their decisions are read-only here."""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from core.access import RoleAdmin
from disaster.models import Disaster, DisasterDecision, Shelter
from plan_registry.models import Area
from volunteer.admin import ReadOnlyAdminMixin
from volunteer.models import StaffRole, User
from volunteer.selectors import staff_area_ids

OFFICE = (StaffRole.Role.DISASTER_OFFICE,)
SHELTER_STAFF = (StaffRole.Role.SHELTER_STAFF,)


def _office_area_ids(request: HttpRequest) -> set[int]:
    """Where the headquarters may add and change shelters: the areas given with its role."""
    if not isinstance(request.user, User):
        return set()
    return staff_area_ids(user=request.user, roles=OFFICE)


@admin.register(Shelter)
class ShelterAdmin(RoleAdmin, admin.ModelAdmin[Shelter]):
    """Every designated shelter, for every disaster role to look up; the headquarters adds and
    changes those in its own wards."""

    list_display = ["name", "school_district", "capacity", "status", "disaster"]
    list_filter = ["status"]
    search_fields = ["name", "address"]
    list_select_related = ["school_district", "disaster"]
    fields = ["name", "school_district", "address", "capacity", "status", "disaster", "status_changed_at"]
    readonly_fields = ["status", "disaster", "status_changed_at"]
    view_roles = SHELTER_STAFF
    change_roles = OFFICE

    def has_change_permission(self, request: HttpRequest, obj: Shelter | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.school_district_id in _office_area_ids(request)

    def has_delete_permission(self, request: HttpRequest, obj: Shelter | None = None) -> bool:
        """A shelter that took people in keeps its record (the stays protect it); one entered by
        mistake is removed by an administrator of the site."""
        return bool(request.user.is_active and request.user.is_superuser)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "school_district":
            kwargs["queryset"] = Area.objects.filter(
                kind=Area.Kind.SCHOOL_DISTRICT, pk__in=_office_area_ids(request)
            ).order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DecisionInline(ReadOnlyAdminMixin, RoleAdmin, admin.TabularInline[DisasterDecision, Disaster]):
    """Each declaration, renewal, end and lapse, on record."""

    model = DisasterDecision
    extra = 0
    fields = readonly_fields = ("action", "decided_at", "decided_by", "reason", "lapses_at")
    can_delete = False
    view_roles = OFFICE


@admin.register(Disaster)
class DisasterAdmin(ReadOnlyAdminMixin, RoleAdmin, admin.ModelAdmin[Disaster]):
    """Declared, renewed and ended on the headquarters' page (disaster_declare and the rest),
    never by editing a row: even a superuser only looks here."""

    list_display = ["name", "declared_at", "lapses_at", "ended_at"]
    fields = readonly_fields = (
        "name",
        "wards",
        "accepted_residence",
        "declared_at",
        "declared_by",
        "lapses_at",
        "ended_at",
    )
    inlines = [DecisionInline]
    view_roles = OFFICE

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disaster]:
        return super().get_queryset(request).select_related("declared_by")
