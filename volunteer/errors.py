"""Error codes of the volunteer app, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Forbidden, NotFound, Unavailable


class NotStaffForArea(Forbidden):
    code = "not_staff_for_area"
    message = _("You are not a coordinator for this organisation's area.")


class OrganisationAlreadyDecided(Conflict):
    code = "organisation_already_decided"
    message = _("This application has already been decided.")


class CareHostNeedsCareFacility(DomainError):
    code = "care_host_needs_care_facility"
    message = _("Only an approved care facility can be registered as a care host.")


class IdentityProviderNotConfigured(Unavailable):
    code = "identity_provider_not_configured"
    message = _("Identity verification is not available: no provider is configured.")


class IdentityProviderUnreachable(Unavailable):
    code = "identity_provider_unreachable"
    message = _("The identity provider cannot be reached just now. Please try again later.")


class IdentityAlreadyVerified(Conflict):
    code = "identity_already_verified"
    message = _("Your identity is already verified. Unlink it first to verify again.")


class IdentityNotVerified(NotFound):
    code = "identity_not_verified"
    message = _("No verified identity is linked to your account.")


class IdentityVerificationRefused(DomainError):
    """The provider's answer could not be trusted; `code` says why (for the app and the record)."""

    code = "identity_verification_refused"
    message = _("The identity verification could not be completed. Please try again.")

    def __init__(self, code: str) -> None:
        super().__init__(code=code)
        self.reason = code
