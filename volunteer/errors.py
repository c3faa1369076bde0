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
    variants = (
        "state_unknown",
        "state_replayed",
        "state_expired",
        "provider_not_configured",
        "token_exchange_failed",
        "id_token_missing",
        "id_token_invalid",
        "nonce_mismatch",
        "subject_missing",
        "userinfo_subject_mismatch",
        "identity_linked_elsewhere",
        "claims_refused",
    )

    def __init__(self, code: str) -> None:
        super().__init__(code=code)
        self.reason = code


class PaperRequestNeedsReason(DomainError):
    code = "paper_request_needs_reason"
    message = _("Say why you act for this person: how their request reached you.")


class PersonErased(Conflict):
    code = "person_erased"
    message = _("This person's data has already been erased.")


class ErasureWaitsForStaff(Conflict):
    code = "erasure_waits_for_staff"
    message = _(
        "Your data can be erased once staff have decided your pending requests "
        "(a reward or a conversion of points)."
    )


class ConsentRequired(Forbidden):
    code = "consent_required"
    message = _("Please agree to the current terms of use and privacy policy first.")


class UseSuspended(Conflict):
    code = "use_suspended"
    message = _("You suspended the use of your data. Lift the suspension to do this.")


class NothingToChange(Conflict):
    code = "nothing_to_change"
    message = _("Nothing to change: the person's data is already in that state.")
