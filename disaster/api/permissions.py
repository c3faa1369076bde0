"""Who may call disaster mode's staff endpoints and open its pages; which shelters each may act
on is the selectors' area scoping."""

from django.utils.translation import gettext_lazy as _

from core.access import RolePermission
from disaster.selectors import CENTRE_ROLES, HEADCOUNT_ROLES, SHELTER_ROLES
from volunteer.models import StaffRole


class IsDisasterOffice(RolePermission):
    roles = (StaffRole.Role.DISASTER_OFFICE,)
    message = _("Only the disaster headquarters can use this endpoint.")
    code = "not_disaster_office"


class IsShelterStaff(RolePermission):
    roles = SHELTER_ROLES
    message = _("Only shelter staff and the disaster headquarters can use this endpoint.")
    code = "not_shelter_staff"


class IsDisasterStaff(RolePermission):
    roles = HEADCOUNT_ROLES
    message = _("Only disaster staff can use this endpoint.")
    code = "not_disaster_staff"


class IsCentreStaff(RolePermission):
    roles = CENTRE_ROLES
    message = _("Only disaster volunteer centre staff and the disaster headquarters can use this endpoint.")
    code = "not_centre_staff"
