"""Writes to activities and participation."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from events import errors
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


def event_create(*, organisation: Organisation, created_by: User, **fields: Any) -> Activity:
    """An organisation's event; `fields` are the activity's (title, category, programme, …)."""
    return Activity.objects.create(
        kind=Activity.Kind.EVENT, organisation=organisation, created_at=timezone.now(), **fields
    )


@transaction.atomic
def event_update(*, activity: Activity, **fields: Any) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.ends_at <= timezone.now():
        raise errors.EventOver()
    capacity = fields.get("capacity")
    if capacity is not None and capacity < _registered(locked):
        raise errors.CapacityBelowRegistered()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["source_key"])
    locked.save(update_fields=list(fields))
    return locked


@transaction.atomic
def event_register(*, activity: Activity, person: User) -> Participation:
    """A place at the event; refused when it is full or over. Registering again returns the place.

    The activity row is locked, so the last place cannot be given twice."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.ends_at <= timezone.now():
        raise errors.EventOver()
    existing = Participation.objects.filter(activity=locked, person=person).first()
    if existing is not None and existing.status == Participation.Status.REGISTERED:
        return existing
    if _registered(locked) >= locked.capacity:
        raise errors.EventFull()
    return participation_register(activity=locked, person=person, source_key="app")


def event_cancel(*, activity: Activity, person: User) -> bool:
    if activity.ends_at <= timezone.now():
        raise errors.EventOver()
    return participation_cancel(activity=activity, person=person) > 0


def _registered(activity: Activity) -> int:
    return activity.participations.filter(status=Participation.Status.REGISTERED).count()
