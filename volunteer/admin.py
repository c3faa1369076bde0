from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

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
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "school_district", "is_staff", "is_demo"]
    list_filter = ["is_staff", "is_demo"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "birth_date", "school_district", "languages"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    )
    add_fieldsets = ((None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        """Staff see the people of their own areas (their home district decides), not the city."""
        people = super().get_queryset(request)
        if not isinstance(request.user, User):
            return people.none()
        return people.filter(selectors.people_of_staff_areas(staff=request.user))


class DecisionInline(admin.TabularInline[OrganisationDecision, Organisation]):
    """Decisions are on record: shown, never edited here."""

    model = OrganisationDecision
    extra = 0
    fields = ("action", "decided_by", "decided_at", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    """Coordinators see the organisations of their areas, oldest application first."""

    list_display = ["name", "kind", "status", "area", "is_care_host", "applied_at"]
    list_filter = ["status", "kind", "is_care_host"]
    search_fields = ["name"]
    ordering = ["applied_at"]
    readonly_fields = ["status", "is_care_host", "applied_by", "applied_at", "coordinators_notified_at"]
    inlines = [DecisionInline]
    actions = ["approve"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        user = request.user
        if not isinstance(user, User) or user.is_superuser:
            return super().get_queryset(request)
        return selectors.organisation_list_for_staff(staff=user)

    @admin.action(description="Approve the selected applications")
    def approve(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        assert isinstance(request.user, User)  # noqa: S101 (admin pages need a signed-in user)
        for organisation in queryset:
            try:
                services.organisation_approve(organisation=organisation, staff=request.user)
            except DomainError as error:
                self.message_user(request, f"{organisation}: {error.message}", messages.WARNING)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin[OrganisationMembership]):
    list_display = ["user", "organisation", "role", "is_active"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin[StaffRole]):
    list_display = ["user", "role"]
    filter_horizontal = ["areas"]


@admin.register(Skill, ActivityCategory)
class CatalogueAdmin(admin.ModelAdmin[Any]):
    list_display = ["code", "name", "name_en"]


@admin.register(QualificationType)
class QualificationTypeAdmin(admin.ModelAdmin[QualificationType]):
    list_display = ["code", "name", "kind", "valid_for_days"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin[Qualification]):
    list_display = ["user", "qualification_type", "obtained_on", "expires_on"]
    list_filter = ["qualification_type"]


class ReadOnlyAdminMixin:
    """For records only the service writes (ledgers, verifications and their logs): staff look,
    for a resident's questions, and change nothing by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VerifiedIdentity)
class VerifiedIdentityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[VerifiedIdentity]):
    list_display = ["person", "assurance_level", "verified_at", "expires_at"]
    search_fields = ["person__email"]


@admin.register(IdentityEvent)
class IdentityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[IdentityEvent]):
    list_display = ["at", "person", "action", "purpose", "code"]
    list_filter = ["action", "purpose"]
    search_fields = ["person__email"]
