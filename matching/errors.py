"""Error codes of matching, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Forbidden


class PostNotOpen(Conflict):
    code = "post_not_open"
    message = _("This post is no longer open.")


class MatchAlreadyDecided(Conflict):
    code = "match_already_decided"
    message = _("This match has already been decided.")


class NeedFull(Conflict):
    code = "need_full"
    message = _("This need already has all the helpers it asked for.")


class VolunteerAlreadyMatched(Conflict):
    code = "volunteer_already_matched"
    message = _("This volunteer is already matched to this need.")


class VolunteerIsRequester(DomainError):
    code = "volunteer_is_requester"
    message = _("A person cannot help with their own need.")


class VolunteerHasNoOffer(Conflict):
    code = "volunteer_has_no_offer"
    message = _(
        "This person has no open offer to help. To match them anyway, say why in without_offer_reason."
    )


class VolunteerBusy(Conflict):
    code = "volunteer_busy"
    message = _("The volunteer already has an activity at that time.")


class NotOrganisationStaff(Forbidden):
    code = "not_organisation_staff"
    message = _("You do not act for this organisation.")
