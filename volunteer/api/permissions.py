from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from volunteer.models import StaffRole, User


class IsCoordinator(BasePermission):
    """Volunteer-centre coordinators and administrators; what they see is scoped by area."""

    message = _("Only volunteer-centre staff can use this endpoint.")
    code = "not_staff"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, User):
            return False
        return (
            user.is_superuser
            or StaffRole.objects.filter(
                user=user, role__in=[StaffRole.Role.COORDINATOR, StaffRole.Role.ADMINISTRATOR]
            ).exists()
        )


class IsPlanOffice(BasePermission):
    """The plan office (and administrators): they enter the survey-based indicator values. The
    plan registry names this class in settings (PLAN_OFFICE_PERMISSION), so it imports no
    domain app."""

    message = _("Only the plan office can enter indicator values.")
    code = "not_plan_office"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, User):
            return False
        return (
            user.is_superuser
            or StaffRole.objects.filter(
                user=user, role__in=[StaffRole.Role.PLAN_OFFICE, StaffRole.Role.ADMINISTRATOR]
            ).exists()
        )
