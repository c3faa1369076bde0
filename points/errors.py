"""Error codes of the points app, with translated messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.api.errors import Conflict, DomainError
from config.api.errors import ReasonRequired as ReasonRequired  # shared; callers raise errors.ReasonRequired


class InsufficientBalance(Conflict):
    default_code = "insufficient_balance"
    default_detail = _("The balance is not enough for this.")


class AlreadyDecided(Conflict):
    default_code = "already_decided"
    default_detail = _("This has already been decided.")


class AlreadyReversed(Conflict):
    default_code = "already_reversed"
    default_detail = _("This transaction has already been reversed.")


class ReversalWouldOverdraw(Conflict):
    default_code = "reversal_would_overdraw"
    default_detail = _("These points have already been spent; the reversal would leave a negative balance.")


class RewardUnavailable(DomainError):
    default_code = "reward_unavailable"
    default_detail = _("This reward is not available.")


class ConversionOutsideWindow(DomainError):
    default_code = "conversion_outside_window"
    default_detail = _("Conversion for this fiscal year can be requested only in its application window.")


class ConversionNotEligible(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "conversion_not_eligible"
    default_detail = _(
        "Conversion is only for stamps earned at 65 or over, by the birth date your identity "
        "verification shows."
    )


class IdentityVerificationRequired(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "identity_verification_required"
    default_detail = _(
        "Verify your identity with your My Number card first (Profile → identity verification)."
    )


class NothingToConvert(DomainError):
    default_code = "nothing_to_convert"
    default_detail = _("There are not enough stamps in this fiscal year to convert.")


class ConversionAlreadyRequested(Conflict):
    default_code = "conversion_already_requested"
    default_detail = _("A conversion for this fiscal year has already been requested.")


class NotConvertible(DomainError):
    default_code = "not_convertible"
    default_detail = _("This scheme cannot be converted.")


class IdempotencyKeyRequired(DomainError):
    default_code = "idempotency_key_required"
    default_detail = _("Send an Idempotency-Key header with this request, so that a retry is safe.")


class IdempotencyKeyReused(Conflict):
    default_code = "idempotency_key_reused"
    default_detail = _("This Idempotency-Key was already used for a different request.")


class NotVerifiedParticipation(DomainError):
    default_code = "participation_not_verified"
    default_detail = _("Only verified participation can be certified.")


class NoActivitiesInYear(DomainError):
    default_code = "no_activities_in_year"
    default_detail = _("There is no verified activity in this fiscal year to certify.")


class CertificateTargetRequired(DomainError):
    default_code = "certificate_target_required"
    default_detail = _("Give either a participation or a fiscal year.")


class AlreadyRevoked(Conflict):
    default_code = "already_revoked"
    default_detail = _("This certificate has already been revoked.")


class CertificateFontMissing(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "certificate_font_missing"
    default_detail = _(
        "The Japanese font for certificates is missing on the server: the matplotlib-fontja package "
        "is not installed, or CERTIFICATE_FONT_PATH names no file."
    )
