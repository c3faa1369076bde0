"""Error codes of the events app, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Forbidden


class CheckinTokenInvalid(DomainError):
    code = "checkin_token_invalid"
    message = _("This check-in code is not valid. Scan the code shown at the venue again.")


class CheckinTokenExpired(DomainError):
    code = "checkin_token_expired"
    message = _("This check-in code has expired. Scan the code shown now.")


class CheckinTokenWrongActivity(DomainError):
    code = "checkin_token_wrong_activity"
    message = _("This check-in code belongs to another activity.")


class CheckinTokenReplayed(Conflict):
    code = "checkin_token_replayed"
    message = _("This personal code has already been used. Ask the resident to show a new one.")


class CheckinOutsideTime(DomainError):
    code = "checkin_outside_time"
    message = _("Check-in is open only from an hour before the activity until an hour after it.")


class NotRegistered(Conflict):
    code = "not_registered"
    message = _("This person is not registered for the activity.")


class NotCheckedIn(Conflict):
    code = "not_checked_in"
    message = _("Check in before checking out.")


class NotOrganiserStaff(Forbidden):
    code = "not_organiser_staff"
    message = _("Only the organising staff or the area's coordinators can do this.")


class NotOrganisationStaff(Forbidden):
    code = "not_organisation_staff"
    message = _("You do not act for this organisation.")


class AlreadyVerified(Conflict):
    code = "already_verified"
    message = _("This participation has already been verified.")


class NoAttendance(DomainError):
    code = "no_attendance"
    message = _(
        "There is no check-in for this person: attendance is verified only once they checked in, "
        "by scanning the venue's code or entered by staff with a reason."
    )


class ActivityNotStarted(Conflict):
    code = "activity_not_started"
    message = _("Attendance can be verified once the activity has started.")


class EventOver(Conflict):
    code = "event_over"
    message = _("This event has already ended.")


class CapacityBelowRegistered(Conflict):
    code = "capacity_below_registered"
    message = _("More people are already registered than this capacity.")


class OutsideAgeRange(Forbidden):
    code = "outside_age_range"
    message = _("This event is for another age group (a birth date on record is needed).")


class GuardianConsentRequired(Forbidden):
    code = "guardian_consent_required"
    message = _("Participants under 18 need a guardian's consent on record.")


class OfferExpired(Conflict):
    code = "offer_expired"
    message = _("The place held for you has been given to the next person.")


class InvalidRecurrence(DomainError):
    code = "invalid_recurrence"
    message = _("The recurrence rule is not valid (for example FREQ=WEEKLY;BYDAY=TU;COUNT=12).")
