"""Who may call the volunteer centre's endpoints and open its pages."""

from django.utils.translation import gettext_lazy as _

from core.access import RolePermission
from volunteer.models import StaffRole


class IsCoordinator(RolePermission):
    """Volunteer-centre coordinators and administrators; what they see is scoped by area."""

    roles = (StaffRole.Role.COORDINATOR, StaffRole.Role.ADMINISTRATOR)
    message = _("Only volunteer-centre staff can use this endpoint.")
    code = "not_staff"


class IsAdministrator(RolePermission):
    """Administrators: they act on a resident's rights request received on paper."""

    roles = (StaffRole.Role.ADMINISTRATOR,)
    message = _("Only administrators can use this endpoint.")
    code = "not_administrator"
