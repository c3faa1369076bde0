from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.access import RoleAdmin
from core.errors import DomainError
from volunteer import selectors, services
from volunteer.models import (
    ActivityCategory,
    IdentityEvent,
    Organisation,
    OrganisationDecision,
    OrganisationMembership,
    Qualification,
    QualificationType,
    RightsRequest,
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
)

# Who opens which staff page (core.access.RoleAdmin): the volunteer centre (coordinators and
# administrators, each within the areas given with the role) looks at people and organisations;
# every city role reads the catalogues; administrators keep them.
CENTRE = (StaffRole.Role.COORDINATOR, StaffRole.Role.ADMINISTRATOR)
CITY_STAFF = (StaffRole.Role.COORDINATOR, StaffRole.Role.PLAN_OFFICE, StaffRole.Role.ADMINISTRATOR)
SETTINGS = (StaffRole.Role.ADMINISTRATOR,)


class PeopleScoped(RoleAdmin):
    """Rows about a person, listed only for the staff of that person's home district (a superuser
    sees all): `person_path` leads from the row to the person."""

    view_roles = CENTRE
    person_path = "person__"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)  # type: ignore[misc]
        if not isinstance(request.user, User):
            return rows.none()
        return rows.filter(selectors.people_of_staff_areas(staff=request.user, path=self.person_path))


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "school_district", "is_staff", "is_demo"]
    list_filter = ["is_staff", "is_demo"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "birth_date", "school_district", "languages"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    )
    add_fieldsets = ((None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),)
    view_roles = CENTRE

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """Staff see the people of their own areas (their home district decides), not the city."""
        people = super().get_queryset(request)
        if not isinstance(request.user, User):
            return people.none()
        return people.filter(selectors.people_of_staff_areas(staff=request.user))


class DecisionInline(RoleAdmin, admin.TabularInline[OrganisationDecision, Organisation]):
    """Decisions are on record: shown, never edited here."""

    model = OrganisationDecision
    extra = 0
    fields = ("action", "decided_by", "decided_at", "reason")
    readonly_fields = fields
    can_delete = False
    view_roles = CENTRE


@admin.register(Organisation)
class OrganisationAdmin(RoleAdmin, admin.ModelAdmin[Organisation]):
    """Coordinators see the organisations of their areas, oldest application first."""

    list_display = ["name", "kind", "status", "area", "is_care_host", "applied_at"]
    list_filter = ["status", "kind", "is_care_host"]
    search_fields = ["name"]
    ordering = ["applied_at"]
    readonly_fields = ["status", "is_care_host", "applied_by", "applied_at", "coordinators_notified_at"]
    inlines = [DecisionInline]
    actions = ["approve"]
    view_roles = CENTRE

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        if not isinstance(request.user, User):
            return Organisation.objects.none()
        return selectors.organisation_list_for_staff(staff=request.user)

    @admin.action(description=_("Approve the selected applications"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        assert isinstance(request.user, User)  # noqa: S101 (admin pages need a signed-in user)
        for organisation in queryset:
            try:
                services.organisation_approve(organisation=organisation, staff=request.user)
            except DomainError as error:
                self.message_user(request, f"{organisation}: {error.message}", messages.WARNING)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(RoleAdmin, admin.ModelAdmin[OrganisationMembership]):
    list_display = ["user", "organisation", "role", "is_active"]
    view_roles = CENTRE

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrganisationMembership]:
        if not isinstance(request.user, User):
            return OrganisationMembership.objects.none()
        organisations = selectors.organisation_list_for_staff(staff=request.user)
        return super().get_queryset(request).filter(organisation__in=organisations)


@admin.register(StaffRole)
class StaffRoleAdmin(RoleAdmin, admin.ModelAdmin[StaffRole]):
    """Who holds which city role: a superuser's page only (no role gives itself more)."""

    list_display = ["user", "role"]
    filter_horizontal = ["areas"]


@admin.register(Skill, ActivityCategory)
class CatalogueAdmin(RoleAdmin, admin.ModelAdmin[Any]):
    list_display = ["code", "name", "name_en"]
    view_roles = CITY_STAFF
    change_roles = SETTINGS


@admin.register(QualificationType)
class QualificationTypeAdmin(RoleAdmin, admin.ModelAdmin[QualificationType]):
    list_display = ["code", "name", "kind", "valid_for_days"]
    view_roles = CITY_STAFF
    change_roles = SETTINGS


@admin.register(Qualification)
class QualificationAdmin(PeopleScoped, admin.ModelAdmin[Qualification]):
    list_display = ["user", "qualification_type", "obtained_on", "expires_on"]
    list_filter = ["qualification_type"]
    person_path = "user__"


class ReadOnlyAdminMixin:
    """For records only the service writes (ledgers, verifications and their logs): staff look,
    for a resident's questions, and change nothing by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VerifiedIdentity)
class VerifiedIdentityAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[VerifiedIdentity]):
    list_display = ["person", "assurance_level", "verified_at", "expires_at"]
    search_fields = ["person__email"]


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[RightsRequest]):
    """Residents' requests over their data (an export so far): who, what, when, and which member of
    staff acted for a request on paper."""

    list_display = ["requested_at", "person", "kind", "handled_by"]
    list_filter = ["kind"]
    search_fields = ["person__email"]


@admin.register(IdentityEvent)
class IdentityEventAdmin(ReadOnlyAdminMixin, PeopleScoped, admin.ModelAdmin[IdentityEvent]):
    list_display = ["at", "person", "action", "purpose", "code"]
    list_filter = ["action", "purpose"]
    search_fields = ["person__email"]
