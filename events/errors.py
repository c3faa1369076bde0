"""Error codes of the events app, with translated messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.api.errors import Conflict, DomainError
from config.api.errors import ReasonRequired as ReasonRequired  # shared; callers raise errors.ReasonRequired


class CheckinTokenInvalid(DomainError):
    default_code = "checkin_token_invalid"
    default_detail = _("This check-in code is not valid. Scan the code shown at the venue again.")


class CheckinTokenExpired(DomainError):
    default_code = "checkin_token_expired"
    default_detail = _("This check-in code has expired. Scan the code shown now.")


class CheckinTokenWrongActivity(DomainError):
    default_code = "checkin_token_wrong_activity"
    default_detail = _("This check-in code belongs to another activity.")


class CheckinTokenReplayed(Conflict):
    default_code = "checkin_token_replayed"
    default_detail = _("This personal code has already been used. Ask the resident to show a new one.")


class CheckinOutsideTime(DomainError):
    default_code = "checkin_outside_time"
    default_detail = _("Check-in is open only from an hour before the activity until an hour after it.")


class NotRegistered(Conflict):
    default_code = "not_registered"
    default_detail = _("This person is not registered for the activity.")


class NotCheckedIn(Conflict):
    default_code = "not_checked_in"
    default_detail = _("Check in before checking out.")


class NotOrganiserStaff(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_organiser_staff"
    default_detail = _("Only the organising staff or the area's coordinators can do this.")


class AlreadyVerified(Conflict):
    default_code = "already_verified"
    default_detail = _("This participation has already been verified.")


class NoAttendance(DomainError):
    default_code = "no_attendance"
    default_detail = _("There is no check-in to count minutes from: set the minutes with a reason.")


class ActivityNotStarted(Conflict):
    default_code = "activity_not_started"
    default_detail = _("Attendance can be verified once the activity has started.")


class EventOver(Conflict):
    default_code = "event_over"
    default_detail = _("This event has already ended.")


class CapacityBelowRegistered(Conflict):
    default_code = "capacity_below_registered"
    default_detail = _("More people are already registered than this capacity.")


class OutsideAgeRange(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "outside_age_range"
    default_detail = _("This event is for another age group (a birth date on record is needed).")


class GuardianConsentRequired(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "guardian_consent_required"
    default_detail = _("Participants under 18 need a guardian's consent on record.")


class OfferExpired(Conflict):
    default_code = "offer_expired"
    default_detail = _("The place held for you has been given to the next person.")


class InvalidRecurrence(DomainError):
    default_code = "invalid_recurrence"
    default_detail = _("The recurrence rule is not valid (for example FREQ=WEEKLY;BYDAY=TU;COUNT=12).")
