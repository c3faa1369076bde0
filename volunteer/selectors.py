"""Scoped reads. Area scoping for staff is decided here, once."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from plan_registry.models import Area
from volunteer.models import (
    ActivityCategory,
    Consent,
    Notification,
    Organisation,
    OrganisationMembership,
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
)


def area_ids_covered(*, areas: QuerySet[Area] | list[Area]) -> set[int]:
    """The areas and everything below them (a ward covers its daily-life areas and districts)."""
    covered = {area.pk for area in areas}
    frontier = set(covered)
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - covered
        covered |= frontier
    return covered


def staff_acts_citywide(*, user: User) -> bool:
    """Only a superuser acts on the whole city; every role, the administrator's included, is
    held for the areas given with it (nobody else sees the whole city's personal data)."""
    return user.is_superuser


STAFF_AREA_ROLES = (StaffRole.Role.COORDINATOR, StaffRole.Role.ADMINISTRATOR)


def staff_area_ids(*, user: User, roles: tuple[str, ...] = STAFF_AREA_ROLES) -> set[int]:
    """Area ids a member of staff may act on: those given with their roles (by default the
    coordinator's and the administrator's) and everything below them; a superuser acts everywhere."""
    if staff_acts_citywide(user=user):
        return set(Area.objects.values_list("pk", flat=True))
    roots = Area.objects.filter(staff_roles__user=user, staff_roles__role__in=roles)
    return area_ids_covered(areas=list(roots))


def people_of_staff_areas(*, staff: User, path: str = "") -> Q:
    """The people a member of staff may see and act on: those whose home district is in one of
    their areas (`path` leads from the rows filtered to the person, e.g. "person__"). Only a
    superuser sees everyone, people with no district on record included."""
    if staff_acts_citywide(user=staff):
        return Q()
    return Q(**{f"{path}school_district_id__in": staff_area_ids(user=staff)})


def user_roles(*, user: User) -> list[str]:
    """'resident' for everyone, then organisation staff and city roles."""
    roles = ["resident"]
    if OrganisationMembership.objects.filter(
        user=user, is_active=True, organisation__status=Organisation.Status.APPROVED
    ).exists():
        roles.append("organisation_staff")
    roles += sorted(StaffRole.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser and StaffRole.Role.ADMINISTRATOR not in roles:
        roles.append(StaffRole.Role.ADMINISTRATOR)
    return roles


def organisation_list_for_staff(*, staff: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(area_id__in=staff_area_ids(user=staff)).select_related("area")


def organisation_get_for_staff(*, organisation_id: int, staff: User) -> Organisation | None:
    return organisation_list_for_staff(staff=staff).filter(pk=organisation_id).first()


def organisation_list_for_member(*, user: User) -> QuerySet[Organisation]:
    """Organisations the person applied for or acts for, whatever their status."""
    return (
        Organisation.objects.filter(
            Q(memberships__user=user, memberships__is_active=True) | Q(applied_by=user)
        )
        .select_related("area")
        .distinct()
    )


def organisation_acting_for(*, user: User, organisation_id: int) -> Organisation | None:
    """The organisation, only if approved and the person is its active staff."""
    return Organisation.objects.filter(
        pk=organisation_id,
        status=Organisation.Status.APPROVED,
        memberships__user=user,
        memberships__is_active=True,
    ).first()


def coordinators_for_area(*, area: Area) -> QuerySet[User]:
    """Coordinators whose areas cover this one (the area itself or one of its ancestors)."""
    ancestors = []
    node: Area | None = area
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    return User.objects.filter(
        is_active=True,
        staff_roles__role=StaffRole.Role.COORDINATOR,
        staff_roles__areas__in=ancestors,
    ).distinct()


def staff_area_list(*, user: User) -> QuerySet[Area]:
    """The wards and daily-life areas a staff member covers, for their pages' area filter."""
    return (
        Area.objects.filter(pk__in=staff_area_ids(user=user))
        .exclude(kind=Area.Kind.SCHOOL_DISTRICT)
        .order_by("code")
    )


def person_get_active(*, person_id: int) -> User | None:
    """A person staff may name (in a match made by hand): not erased, and not suspended (利用停止)."""
    return User.objects.filter(pk=person_id, is_active=True, use_suspended_at__isnull=True).first()


def person_get_for_rights(*, person_id: int) -> User | None:
    """A person an administrator acts for on a paper request (anyone not already erased)."""
    return User.objects.filter(pk=person_id, erased_at__isnull=True).first()


def consents_missing(*, person: User) -> list[str]:
    """The documents (terms, privacy policy) whose current version the person has not agreed to,
    or has withdrawn from."""
    current = settings.CONSENT_CURRENT_VERSIONS
    given = set(
        Consent.objects.filter(user=person, withdrawn_at__isnull=True, document__in=current).values_list(
            "document", "version"
        )
    )
    return [document for document, version in sorted(current.items()) if (document, version) not in given]


def people_who_may_be_matched() -> QuerySet[User]:
    """Who the matching engine may pair: active, not suspended (利用停止) and agreeing to the
    current terms and privacy policy."""
    people = User.objects.filter(is_active=True, use_suspended_at__isnull=True)
    for document, version in settings.CONSENT_CURRENT_VERSIONS.items():
        agreed = Consent.objects.filter(
            user=OuterRef("pk"), document=document, version=version, withdrawn_at__isnull=True
        )
        people = people.filter(Exists(agreed))
    return people


def person_get_for_profile(*, person_id: int) -> User:
    """A person with everything their own profile shows."""
    return (
        User.objects.select_related("school_district")
        .prefetch_related("skills", "interests", "consents", "qualifications__qualification_type")
        .get(pk=person_id)
    )


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.order_by("code")


def category_list() -> QuerySet[ActivityCategory]:
    return ActivityCategory.objects.order_by("code")


def notification_list_for_person(*, person: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=person).order_by("-created_at", "-pk")


def identity_status(*, person: User, now: dt.datetime | None = None) -> tuple[str, VerifiedIdentity | None]:
    """("unverified" | "verified" | "expired", the identity)."""
    identity = VerifiedIdentity.objects.filter(person=person).first()
    if identity is None:
        return "unverified", None
    if identity.expires_at is not None and identity.expires_at <= (now or timezone.now()):
        return "expired", identity
    return "verified", identity


def identity_verified(*, person: User) -> VerifiedIdentity | None:
    """The resident's identity if verified and not expired."""
    level, identity = identity_status(person=person)
    return identity if level == "verified" else None
