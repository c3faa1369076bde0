"""Who may call disaster mode's staff endpoints and open its pages; which shelters each may act
on is the selectors' area scoping."""

from django.utils.translation import gettext_lazy as _

from core.access import RolePermission
from disaster.selectors import CENTRE_ROLES, HEADCOUNT_ROLES, SHELTER_ROLES, SUPPORT_ROLES
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


class IsLocalSupporter(RolePermission):
    """民生委員 and 自主防災組織: they read the register of people who need help to evacuate."""

    roles = SUPPORT_ROLES
    message = _("Only welfare commissioners and voluntary disaster prevention groups can use this endpoint.")
    code = "not_local_supporter"
