from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.access import RoleAdmin
from core.admin import number
from core.deferred import publish
from matching import tasks
from matching.models import (
    AddressRelease,
    Match,
    MatchDecision,
    MatchingRequest,
    MatchingRun,
    Need,
    NeedWindow,
    Offer,
)
from matching.services import runs
from volunteer.admin import CENTRE
from volunteer.models import User
from volunteer.selectors import staff_area_ids


class _AreaScoped(RoleAdmin):
    """Coordinators see the posts and matches of their areas; decisions go through the queue page."""

    area_field = "school_district_id"
    view_roles = CENTRE

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        user = request.user
        if not isinstance(user, User):
            return queryset.none()
        return queryset.filter(**{f"{self.area_field}__in": staff_area_ids(user=user)})

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class NeedWindowInline(RoleAdmin, admin.TabularInline[NeedWindow, Need]):
    model = NeedWindow
    extra = 0
    view_roles = CENTRE


class DecisionInline(RoleAdmin, admin.TabularInline[MatchDecision, Match]):
    model = MatchDecision
    extra = 0
    view_roles = CENTRE
    fields = ("action", "actor", "decided_at", "reason")
    readonly_fields = fields


@admin.register(Offer)
class OfferAdmin(_AreaScoped, admin.ModelAdmin[Offer]):
    list_display = [number, "person", "status", "school_district", "reach", "max_per_week", "valid_until"]
    list_filter = ["status", "reach"]


@admin.register(Need)
class NeedAdmin(_AreaScoped, admin.ModelAdmin[Need]):
    list_display = ["title", "requester", "organisation", "status", "school_district", "headcount", "urgency"]
    list_filter = ["status", "urgency", "category"]
    inlines = [NeedWindowInline]


@admin.register(Match)
class MatchAdmin(_AreaScoped, admin.ModelAdmin[Match]):
    area_field = "need__school_district_id"
    list_display = [number, "need", "volunteer", "status", "source", "reason", "proposed_at"]
    list_filter = ["status", "source"]
    inlines = [DecisionInline]


@admin.register(AddressRelease)
class AddressReleaseAdmin(_AreaScoped, admin.ModelAdmin[AddressRelease]):
    """Who was shown which need's address, and when: read-only, for the audit."""

    area_field = "need__school_district_id"
    list_display = ["need", "person", "match", "released_at"]
    date_hierarchy = "released_at"


@admin.register(MatchingRun)
class MatchingRunAdmin(RoleAdmin, admin.ModelAdmin[MatchingRun]):
    view_roles = CENTRE
    list_display = [
        number,
        "kind",
        "started_at",
        "finished_at",
        "offers",
        "needs",
        "candidate_edges",
        "proposals",
    ]


class ParkedFilter(admin.SimpleListFilter):
    title = _("parked")
    parameter_name = "parked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Parked after failing")), ("no", _("Not parked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(parked_at__isnull=self.value() == "no")
        return queryset


@admin.register(MatchingRequest)
class MatchingRequestAdmin(RoleAdmin, admin.ModelAdmin[MatchingRequest]):
    """The matching outbox; its dead letters (requests parked after failing every try) are listed
    with their last error, and an administrator runs them again once the cause is mended."""

    view_roles = CENTRE
    list_display = [
        number,
        "kind",
        "object_id",
        "created_at",
        "processed_at",
        "attempts",
        "parked_at",
        "last_error",
    ]
    list_filter = [ParkedFilter, "kind"]
    actions = ["run_again"]

    def has_run_again_permission(self, request: HttpRequest) -> bool:
        return self._admits(request, ("administrator",))

    @admin.action(description=_("Run the selected parked requests again"), permissions=["run_again"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[MatchingRequest]) -> None:
        for request_id in runs.matching_requests_unpark(ids=list(queryset.values_list("pk", flat=True))):
            publish(tasks.matching_request_process_task, request_id)
        self.message_user(request, _("The requests will run again."), messages.SUCCESS)
