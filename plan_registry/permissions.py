"""Who acts for the plan office, for the API and the staff pages alike."""

from django.utils.translation import gettext_lazy as _

from core.access import RolePermission


class PlanOfficeOnly(RolePermission):
    """The plan office and administrators. The role names are the people app's
    (`volunteer.models.StaffRole.Role`), which the registry does not import; a test holds them equal."""

    roles = ("plan_office", "administrator")
    message = _("Only the plan office can use the plan's values and its progress report.")
    code = "not_plan_office"
