"""Error codes of the volunteer app, with translated messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.api.errors import Conflict, DomainError


class NotStaffForArea(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_staff_for_area"
    default_detail = _("You are not a coordinator for this organisation's area.")


class OrganisationAlreadyDecided(Conflict):
    default_code = "organisation_already_decided"
    default_detail = _("This application has already been decided.")


class CareHostNeedsCareFacility(DomainError):
    default_code = "care_host_needs_care_facility"
    default_detail = _("Only an approved care facility can be registered as a care host.")


class ReasonRequired(DomainError):
    default_code = "reason_required"
    default_detail = _("A reason is required for this decision.")
