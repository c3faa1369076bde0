"""Writes to activities and participation."""

import datetime as dt
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.changes import UNCHANGED, Unchanged, asdict_shallow, changed_fields
from core.db import retry_transient
from events import errors
from events.models import Activity, EventSeries, Participation
from plan_registry.models import Area, Programme
from volunteer.ages import age_on
from volunteer.models import ActivityCategory, Consent, Organisation, QualificationType, User
from volunteer.services import notification_send


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


@dataclass(frozen=True)
class EventDetails:
    """What an organisation's event is; for a series, the first occurrence's times."""

    title: str
    category: ActivityCategory
    school_district: Area
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    programme: Programme | None = None
    min_age: int | None = None
    max_age: int | None = None
    grants_qualification: QualificationType | None = None


@dataclass(frozen=True)
class EventChanges:
    """What staff change of an event still to come; a field left UNCHANGED is kept."""

    title: str | Unchanged = UNCHANGED
    category: ActivityCategory | Unchanged = UNCHANGED
    school_district: Area | Unchanged = UNCHANGED
    starts_at: dt.datetime | Unchanged = UNCHANGED
    ends_at: dt.datetime | Unchanged = UNCHANGED
    capacity: int | Unchanged = UNCHANGED
    programme: Programme | Unchanged | None = UNCHANGED
    min_age: int | Unchanged | None = UNCHANGED
    max_age: int | Unchanged | None = UNCHANGED
    grants_qualification: QualificationType | Unchanged | None = UNCHANGED


@dataclass(frozen=True)
class EventSeriesChanges:
    """What may change for a series' occurrences still to come."""

    title: str | Unchanged = UNCHANGED
    capacity: int | Unchanged = UNCHANGED
    min_age: int | Unchanged | None = UNCHANGED
    max_age: int | Unchanged | None = UNCHANGED


def event_create(*, organisation: Organisation, details: EventDetails) -> Activity:
    """An organisation's event."""
    return Activity.objects.create(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        created_at=timezone.now(),
        **asdict_shallow(details),
    )


@transaction.atomic
def event_update(*, activity: Activity, changes: EventChanges) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.ends_at <= timezone.now():
        raise errors.EventOver()
    fields = changed_fields(changes)
    capacity = fields.get("capacity")
    if capacity is not None and capacity < _registered(locked):
        raise errors.CapacityBelowRegistered()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["source_key"])
    locked.save(update_fields=list(fields))
    return locked


TAKEN = (Participation.Status.REGISTERED, Participation.Status.OFFERED)


@retry_transient()
def event_register(*, activity: Activity, person: User) -> Participation:
    """A place at the event, or a place on its waiting list when it is full; confirming a place
    held from the waiting list takes it. Registering again returns what the person has.

    The activity row is locked, so the last place cannot be given twice."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.ends_at <= timezone.now():
        raise errors.EventOver()
    existing = Participation.objects.filter(activity=locked, person=person).first()
    if existing is not None and existing.status in (
        Participation.Status.REGISTERED,
        Participation.Status.WAITLISTED,
    ):
        return existing
    if existing is not None and existing.status == Participation.Status.OFFERED:
        if existing.offer_expires_at is not None and existing.offer_expires_at <= timezone.now():
            raise errors.OfferExpired()
        existing.status, existing.offer_expires_at = Participation.Status.REGISTERED, None
        existing.save(update_fields=["status", "offer_expires_at"])
        return existing
    _require_eligible(locked, person)
    full = locked.participations.filter(status__in=TAKEN).count() >= locked.capacity
    participation = participation_register(activity=locked, person=person, source_key="app")
    if full:
        participation.status = Participation.Status.WAITLISTED
        participation.save(update_fields=["status"])
    return participation


def _require_eligible(activity: Activity, person: User) -> None:
    """The event's age range on its date; under 18, a guardian's consent on record."""
    day = timezone.localtime(activity.starts_at).date()
    age = None if person.birth_date is None else age_on(person.birth_date, day)
    if activity.min_age is not None or activity.max_age is not None:
        low, high = activity.min_age or 0, activity.max_age if activity.max_age is not None else 200
        if age is None or not low <= age <= high:
            raise errors.OutsideAgeRange()
    if (
        age is not None
        and age < 18
        and not person.consents.filter(document=Consent.Document.GUARDIAN, withdrawn_at__isnull=True).exists()
    ):
        raise errors.GuardianConsentRequired()


@retry_transient()
def event_cancel(*, activity: Activity, person: User) -> bool:
    """Gives up a place (or a place on the waiting list); a freed place goes to the next in line."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.ends_at <= timezone.now():
        raise errors.EventOver()
    participation = (
        locked.participations.filter(person=person).exclude(status=Participation.Status.CANCELLED).first()
    )
    if participation is None:
        return False
    freed = participation.status in TAKEN
    participation.status, participation.offer_expires_at = Participation.Status.CANCELLED, None
    participation.save(update_fields=["status", "offer_expires_at"])
    if freed:
        _offer_next(locked)
    return True


def _offer_next(activity: Activity, now: dt.datetime | None = None) -> Participation | None:
    """Holds the freed place for the longest-waiting person, for a limited time."""
    if activity.participations.filter(status__in=TAKEN).count() >= activity.capacity:
        return None
    waiting = (
        activity.participations.filter(status=Participation.Status.WAITLISTED)
        .order_by("registered_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    hold = (now or timezone.now()) + dt.timedelta(hours=settings.EVENT_WAITLIST_HOLD_HOURS)
    waiting.status, waiting.offer_expires_at = Participation.Status.OFFERED, min(hold, activity.starts_at)
    waiting.save(update_fields=["status", "offer_expires_at"])
    notification_send(
        user=waiting.person,
        kind="event_place_offered",
        title=f"「{activity.title}」に空きが出ました",
        body=f"{timezone.localtime(waiting.offer_expires_at):%m月%d日 %H:%M}までに参加を確定してください。",
        dedupe_key=f"event-place-offered:{waiting.pk}:{waiting.offer_expires_at.isoformat()}",
        data={"event": activity.pk},
    )
    return waiting


def waitlist_offers_expire(*, now: dt.datetime | None = None) -> int:
    """Places held too long go to the next in line (periodic; idempotent)."""
    now = now or timezone.now()
    expired = 0
    stale = Participation.objects.filter(status=Participation.Status.OFFERED, offer_expires_at__lte=now)
    for activity_id in stale.values_list("activity_id", flat=True).distinct():
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=activity_id)
            for participation in activity.participations.filter(
                status=Participation.Status.OFFERED, offer_expires_at__lte=now
            ):
                participation.status = Participation.Status.CANCELLED
                participation.save(update_fields=["status"])
                expired += 1
            while _offer_next(activity, now) is not None:
                pass
    return expired


def _registered(activity: Activity) -> int:
    return activity.participations.filter(status__in=TAKEN).count()


MAX_OCCURRENCES = 200
SERIES_HORIZON = dt.timedelta(days=366)


def _occurrence_starts(rule: str, first_starts_at: dt.datetime) -> list[dt.datetime]:
    """The rule's start times in Japan time (a weekly 10:00 stays 10:00), at most a year ahead."""
    local_first = timezone.localtime(first_starts_at)
    try:
        recurrence = rrulestr(rule, dtstart=local_first.replace(tzinfo=None))
    except (ValueError, TypeError) as invalid:
        raise errors.InvalidRecurrence() from invalid
    until = (local_first + SERIES_HORIZON).replace(tzinfo=None)
    starts: list[dt.datetime] = []
    for start in recurrence:
        if start > until or len(starts) == MAX_OCCURRENCES:
            break
        starts.append(timezone.make_aware(start))
    if not starts:
        raise errors.InvalidRecurrence()
    return starts


@transaction.atomic
def event_series_create(*, organisation: Organisation, rule: str, details: EventDetails) -> EventSeries:
    """A recurring event: its occurrences up to a year ahead (at most 200), each a normal event."""
    fields = asdict_shallow(details)
    starts_at, ends_at = fields.pop("starts_at"), fields.pop("ends_at")
    starts = _occurrence_starts(rule, starts_at)
    duration = ends_at - starts_at
    series = EventSeries.objects.create(
        organisation=organisation,
        rule=rule,
        first_starts_at=starts_at,
        duration_minutes=int(duration.total_seconds() // 60),
        created_at=timezone.now(),
    )
    Activity.objects.bulk_create(
        Activity(
            kind=Activity.Kind.EVENT,
            organisation=organisation,
            series=series,
            starts_at=start,
            ends_at=start + duration,
            created_at=series.created_at,
            **fields,
        )
        for start in starts
    )
    return series


@transaction.atomic
def event_series_update(*, series: EventSeries, changes: EventSeriesChanges) -> int:
    """Changes the occurrences still to come; past ones stay as they happened. Returns how many."""
    fields = changed_fields(changes)
    future = series.occurrences.select_for_update().filter(starts_at__gt=timezone.now())
    capacity = fields.get("capacity")
    if capacity is not None and any(_registered(activity) > capacity for activity in future):
        raise errors.CapacityBelowRegistered()
    return future.update(**fields)
