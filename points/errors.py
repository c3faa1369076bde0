"""Error codes of the points app, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Forbidden, Unavailable


class InsufficientBalance(Conflict):
    code = "insufficient_balance"
    message = _("The balance is not enough for this.")


class AlreadyDecided(Conflict):
    code = "already_decided"
    message = _("This has already been decided.")


class AlreadyReversed(Conflict):
    code = "already_reversed"
    message = _("This transaction has already been reversed.")


class ReversalWouldOverdraw(Conflict):
    code = "reversal_would_overdraw"
    message = _("These points have already been spent; the reversal would leave a negative balance.")


class RewardUnavailable(DomainError):
    code = "reward_unavailable"
    message = _("This reward is not available.")


class ConversionOutsideWindow(DomainError):
    code = "conversion_outside_window"
    message = _("Conversion for this fiscal year can be requested only in its application window.")


class ConversionNotEligible(Forbidden):
    code = "conversion_not_eligible"
    message = _(
        "Conversion is only for stamps earned at 65 or over, by the birth date your identity "
        "verification shows."
    )


class IdentityVerificationRequired(Forbidden):
    code = "identity_verification_required"
    message = _("Verify your identity with your My Number card first (Profile → identity verification).")


class NothingToConvert(DomainError):
    code = "nothing_to_convert"
    message = _("There are not enough stamps in this fiscal year to convert.")


class ConversionAlreadyRequested(Conflict):
    code = "conversion_already_requested"
    message = _("A conversion for this fiscal year has already been requested.")


class NotConvertible(DomainError):
    code = "not_convertible"
    message = _("This scheme cannot be converted.")


class NotVerifiedParticipation(DomainError):
    code = "participation_not_verified"
    message = _("Only verified participation with time attended can be certified.")


class NoActivitiesInYear(DomainError):
    code = "no_activities_in_year"
    message = _("There is no verified activity in this fiscal year to certify.")


class CertificateTargetRequired(DomainError):
    code = "certificate_target_required"
    message = _("Give either a participation or a fiscal year.")


class AlreadyRevoked(Conflict):
    code = "already_revoked"
    message = _("This certificate has already been revoked.")


class CertificateFontMissing(Unavailable):
    code = "certificate_font_missing"
    message = _(
        "The Japanese font for certificates is missing on the server: the matplotlib-fontja package "
        "is not installed, or CERTIFICATE_FONT_PATH names no file."
    )
