"""A person's activities as an iCalendar feed (RFC 5545), the file a calendar app subscribes to.

Each participation not cancelled is one VEVENT whose UID stays the same while it lasts, so an app
that polls the feed updates the event instead of adding a copy; a place on the waiting list is
TENTATIVE. The feed sits at a bearer address, so it carries what the public listing shows (title,
time, organiser, school district) and never a need's exact address or anyone's name."""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from events.models import Participation

PRODID = "-//Kumamoto volunteer matching//Calendar feed//JA"
TENTATIVE = (Participation.Status.WAITLISTED, Participation.Status.OFFERED)


def calendar_ics(participations: Iterable[Participation], *, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("My volunteering"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"
    for participation in participations:
        calendar.add_component(_event(participation, host=host, now=now))
    return calendar.to_ical()


def _event(participation: Participation, *, host: str, now: dt.datetime) -> Event:
    activity = participation.activity
    event = Event()
    event.add("uid", f"participation-{participation.pk}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("summary", activity.title)
    event.add("location", activity.school_district.name)
    event.add("status", "TENTATIVE" if participation.status in TENTATIVE else "CONFIRMED")
    lines = [str(participation.get_status_display())]
    if activity.organisation is not None:
        lines.append(_("Organiser: %(name)s") % {"name": activity.organisation.name})
    event.add("description", "\n".join(lines))
    event.add("url", f"{settings.PUBLIC_BASE_URL}/api/v1/events/{activity.pk}/")
    return event
