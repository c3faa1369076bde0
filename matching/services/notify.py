"""What matching tells people, in Japanese (the app's first language), once per event."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from matching.models import Match
from volunteer.services import notification_send


def _send(match: Match, *, to: str, event: str, title: str, body: str) -> None:
    user = match.volunteer if to == "volunteer" else match.need.requester
    notification_send(
        user=user,
        kind=f"match_{event}",
        title=title,
        body=body,
        dedupe_key=f"match:{match.pk}:{event}:{to}",
        data={"match_id": match.pk, "need_id": match.need_id},
    )


def proposed(*, match: Match) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            match,
            to="volunteer",
            event="proposed",
            title=_("A new activity is proposed to you"),
            body=_("%(title)s: %(reason)s") % {"title": match.need.title, "reason": match.reason},
        )


def confirmed(*, match: Match) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            match,
            to="volunteer",
            event="confirmed",
            title=_("The volunteer centre confirmed your match"),
            body=_("%(title)s. Please accept or decline it in the app.") % {"title": match.need.title},
        )
        _send(
            match,
            to="requester",
            event="confirmed",
            title=_("A helper has been found"),
            body=_("%(name)s will help with %(title)s.")
            % {"name": match.volunteer.display_name, "title": match.need.title},
        )


def scheduled(*, match: Match) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            match,
            to="volunteer",
            event="scheduled",
            title=_("Your activity is scheduled"),
            body=match.need.title,
        )
        _send(
            match,
            to="requester",
            event="scheduled",
            title=_("The helper accepted"),
            body=_("%(name)s accepted %(title)s.")
            % {"name": match.volunteer.display_name, "title": match.need.title},
        )


def declined(*, match: Match) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            match,
            to="requester",
            event="declined",
            title=_("The helper cannot come"),
            body=_("We are looking for another helper for %(title)s.") % {"title": match.need.title},
        )


def need_withdrawn(*, match: Match) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            match,
            to="volunteer",
            event="withdrawn",
            title=_("An activity was cancelled"),
            body=_("%(title)s was withdrawn by the requester.") % {"title": match.need.title},
        )
