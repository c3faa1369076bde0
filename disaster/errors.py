"""Error codes of disaster mode, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Forbidden, Unavailable


class NotDisasterOffice(Forbidden):
    code = "not_disaster_office"
    message = _("Only the disaster headquarters for these wards can declare, renew or end a disaster.")


class NotShelterStaff(Forbidden):
    code = "not_shelter_staff"
    message = _("Only the staff of this shelter's area or the disaster headquarters can do this.")


class WardsRequired(DomainError):
    code = "wards_required"
    message = _("Name at least one affected ward.")


class DisasterNotActive(Conflict):
    code = "disaster_not_active"
    message = _("This disaster has ended or its declaration has lapsed.")


class ShelterOutsideDisaster(Conflict):
    code = "shelter_outside_disaster"
    message = _("This shelter is not in a ward the disaster affects.")


class ShelterClosed(Conflict):
    code = "shelter_closed"
    message = _("This shelter is not open. Open it for the disaster first, or send people to an open one.")


class ShelterPassInvalid(DomainError):
    code = "shelter_pass_invalid"
    message = _("This code is not a valid shelter code. Ask the resident to show the code in the app again.")


class ShelterPassExpired(DomainError):
    code = "shelter_pass_expired"
    message = _("This shelter code had expired when it was scanned. Enter the household by hand.")


class ScanTimeInvalid(DomainError):
    code = "scan_time_invalid"
    message = _("The scan time is in the future or too long ago. Check the device's clock.")


class HouseholdAlreadyReceived(Conflict):
    code = "household_already_received"
    message = _("This household has already been received. Check it out or transfer it first.")


class ReceptionIdReused(Conflict):
    code = "reception_id_reused"
    message = _("This reception id was already used for a different reception.")


class MemberNotInHousehold(DomainError):
    code = "member_not_in_household"
    message = _("Some of the people chosen are not members of this household.")


class PeopleRequired(DomainError):
    code = "people_required"
    message = _("Enter at least one person.")


class StayAlreadyLeft(Conflict):
    code = "stay_already_left"
    message = _("These people have already checked out or been transferred.")


class SameShelter(DomainError):
    code = "same_shelter"
    message = _("Choose another shelter to transfer to.")


class ShelterStillOccupied(Conflict):
    code = "shelter_still_occupied"
    message = _("People are still registered at this shelter. Check them out or transfer them first.")


class NotCentreStaff(Forbidden):
    code = "not_centre_staff"
    message = _("Only the staff of this volunteer centre's area or the disaster headquarters can do this.")


class CentreClosed(Conflict):
    code = "centre_closed"
    message = _("This volunteer centre is closed, or its disaster has ended.")


class ResidenceNotAccepted(Conflict):
    code = "residence_not_accepted"
    message = _("This centre accepts volunteers only from a nearer area just now. Thank you for offering.")


class DaysOutOfRange(DomainError):
    code = "days_out_of_range"
    message = _("Choose at least one day, from today up to a month ahead.")


class UnknownSkillOrLicence(DomainError):
    code = "unknown_skill_or_licence"
    message = _("A skill or licence is not one of the list's.")


class CallUpPast(Conflict):
    code = "call_up_past"
    message = _("This day has passed.")


class CallUpPlaceGiven(Conflict):
    code = "call_up_place_given"
    message = _(
        "You said you could not come, and your place has been given to someone else; the day is full. "
        "Thank you: please reply to the next call-up."
    )


class VolunteerCodeInvalid(DomainError):
    code = "volunteer_code_invalid"
    message = _("This is not a valid volunteer code. Ask the volunteer to show the code in the app again.")


class VolunteerCodeExpired(DomainError):
    code = "volunteer_code_expired"
    message = _("This code had expired when it was scanned. Ask the volunteer to show a new one.")


class NotRegisteredWithCentre(Conflict):
    code = "not_registered_with_centre"
    message = _("This volunteer has not registered with this centre. Registration in the app comes first.")


class InsuranceNotInForce(Conflict):
    code = "insurance_not_in_force"
    message = _(
        "No volunteer activity insurance (natural disaster plan) in force today: no dispatch. "
        "Record insurance taken out at the desk first."
    )


class CentreFullToday(Conflict):
    code = "centre_full_today"
    message = _("Today's places are all taken by those called up. Please register for another day.")


class VolunteerAlreadyReceived(Conflict):
    code = "volunteer_already_received"
    message = _("This volunteer has already been received today.")


class CentreOutsideDisaster(Conflict):
    code = "centre_outside_disaster"
    message = _("This place is not in a ward the disaster affects.")


class ContactRequired(DomainError):
    code = "contact_required"
    message = _("For a need taken by phone, enter the caller's name and a number to call back.")


class PlaceRequired(DomainError):
    code = "place_required"
    message = _("A need needs a place: the school district and the address where the work is.")


class NeedOutsideDisaster(Conflict):
    code = "need_outside_disaster"
    message = _("This place is not in a ward the disaster affects.")


class NeedDone(Conflict):
    code = "need_done"
    message = _("This need is already done.")


class NoTeamsToForm(Conflict):
    code = "no_teams_to_form"
    message = _("No team can be formed: no volunteer received today is free, or no accepted need is open.")


class TeamFull(Conflict):
    code = "team_full"
    message = _("This team is full.")


class TeamAlreadyReported(Conflict):
    code = "team_already_reported"
    message = _("This team's report has already been made.")


class SupportNeedsRequired(DomainError):
    code = "support_needs_required"
    message = _("Choose at least one kind of help you would need to evacuate.")


class WorkOrderFontMissing(Unavailable):
    code = "work_order_font_missing"
    message = _("The Japanese font for printed documents is missing on the server.")


class InsuranceTypeMissing(Unavailable):
    code = "insurance_type_missing"
    message = _(
        "Volunteer activity insurance is not in the qualification catalogue; the centre cannot record it "
        "until the catalogue is loaded."
    )
