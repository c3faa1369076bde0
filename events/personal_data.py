"""What the events app holds about a person, how it forgets when the person is erased, and what
it forgets on the retention schedule (core.personal_data)."""

import datetime as dt

from django.conf import settings

from core.personal_data import erases, holds, retains
from events.models import CalendarFeed, CheckIn, Participation
from events.services import activities
from volunteer.models import User

holds(
    Participation,
    "person",
    "verified_by",
    why="registrations, attendance and verified hours; attendance the person verified as staff",
)
holds(CheckIn, "person", "entered_by", why="check-ins and check-outs; those entered by the person as staff")
holds(
    CalendarFeed,
    "person",
    why="the calendar subscription the person made (until they revoke it), its secret kept only as a hash",
    hidden=("token_hash",),
)


@erases("events")
def _erase(person: User, now: dt.datetime) -> None:
    """Places at activities still to come are given up (the next in line is offered them);
    attendance that happened stays, as the organiser's record, the points' ground and the plan's
    count. The calendar subscription is revoked."""
    upcoming = (
        Participation.objects.filter(person=person, activity__starts_at__gt=now)
        .exclude(status=Participation.Status.CANCELLED)
        .select_related("activity")
        .order_by("activity_id")
    )
    for participation in upcoming:
        activities.event_cancel(activity=participation.activity, person=person)
    CalendarFeed.objects.filter(person=person).delete()


@retains("events.checkins")
def _checkins(now: dt.datetime) -> int:
    """Each scan (when, how, who entered it by hand and why) proves attendance until the points
    it earned can no longer be questioned; the participation keeps its times and minutes."""
    cutoff = now - dt.timedelta(days=settings.CHECKIN_DETAIL_RETENTION_DAYS)
    deleted, _ = CheckIn.objects.filter(activity__ends_at__lt=cutoff).delete()
    return deleted
