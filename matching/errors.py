"""Error codes of matching, with translated messages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.api.errors import Conflict, DomainError
from volunteer import errors as volunteer_errors


class PostNotOpen(Conflict):
    default_code = "post_not_open"
    default_detail = _("This post is no longer open.")


class MatchAlreadyDecided(Conflict):
    default_code = "match_already_decided"
    default_detail = _("This match has already been decided.")


class NeedFull(Conflict):
    default_code = "need_full"
    default_detail = _("This need already has all the helpers it asked for.")


class VolunteerAlreadyMatched(Conflict):
    default_code = "volunteer_already_matched"
    default_detail = _("This volunteer is already matched to this need.")


class VolunteerIsRequester(DomainError):
    default_code = "volunteer_is_requester"
    default_detail = _("A person cannot help with their own need.")


class VolunteerBusy(Conflict):
    default_code = "volunteer_busy"
    default_detail = _("The volunteer already has an activity at that time.")


class NotOrganisationStaff(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_organisation_staff"
    default_detail = _("You do not act for this organisation.")


# A reason is required for a rejection or a manual match, as for organisation decisions.
ReasonRequired = volunteer_errors.ReasonRequired
