"""Writes to activities and participation."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from events.models import Activity, Participation
from plan_registry.models import Area, Programme
from volunteer.models import ActivityCategory, Organisation, User


def activity_schedule(
    *,
    source_key: str,
    kind: str,
    title: str,
    category: ActivityCategory,
    school_district: Area,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    organisation: Organisation | None = None,
    programme: Programme | None = None,
) -> Activity:
    """Creates the activity once per source key; a repeated call returns the same row."""
    activity, _created = Activity.objects.get_or_create(
        source_key=source_key,
        defaults={
            "kind": kind,
            "title": title,
            "category": category,
            "school_district": school_district,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "capacity": capacity,
            "organisation": organisation,
            "programme": programme,
            "created_at": timezone.now(),
        },
    )
    return activity


@transaction.atomic
def participation_register(*, activity: Activity, person: User, source_key: str) -> Participation:
    participation, _created = Participation.objects.get_or_create(
        activity=activity,
        person=person,
        defaults={"registered_at": timezone.now(), "source_key": source_key},
    )
    if participation.status == Participation.Status.CANCELLED:
        participation.status = Participation.Status.REGISTERED
        participation.save(update_fields=["status"])
    return participation


def participation_cancel(*, activity: Activity, person: User) -> int:
    return Participation.objects.filter(
        activity=activity, person=person, status=Participation.Status.REGISTERED
    ).update(status=Participation.Status.CANCELLED)
