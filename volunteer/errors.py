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


class IdentityProviderNotConfigured(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "identity_provider_not_configured"
    default_detail = _("Identity verification is not available: no provider is configured.")


class IdentityProviderUnreachable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "identity_provider_unreachable"
    default_detail = _("The identity provider cannot be reached just now. Please try again later.")


class IdentityAlreadyVerified(Conflict):
    default_code = "identity_already_verified"
    default_detail = _("Your identity is already verified. Unlink it first to verify again.")


class IdentityNotVerified(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "identity_not_verified"
    default_detail = _("No verified identity is linked to your account.")


class IdentityVerificationRefused(DomainError):
    """The provider's answer could not be trusted; `code` says why (for the app and the record)."""

    default_code = "identity_verification_refused"
    default_detail = _("The identity verification could not be completed. Please try again.")

    def __init__(self, code: str) -> None:
        super().__init__(code=code)
        self.reason = code
