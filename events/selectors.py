"""Reads of activities and participation that other apps (matching) need."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from events.models import Activity, EventSeries, Participation
from volunteer.models import OrganisationMembership, User
from volunteer.selectors import staff_area_ids


def registered_windows(
    *, person_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Each person's registered activities between start and end: they are busy then."""
    windows: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    rows = Participation.objects.filter(
        person_id__in=person_ids,
        status=Participation.Status.REGISTERED,
        activity__starts_at__lt=end,
        activity__ends_at__gt=start,
    ).values_list("person_id", "activity__starts_at", "activity__ends_at")
    for person_id, starts_at, ends_at in rows:
        windows[person_id].append((starts_at, ends_at))
    return windows


def participation_counts(*, person_ids: list[int], since: dt.datetime | None = None) -> dict[int, int]:
    """How many activities each person took part in (since a moment, or ever)."""
    rows = Participation.objects.filter(person_id__in=person_ids, status=Participation.Status.REGISTERED)
    if since is not None:
        rows = rows.filter(activity__starts_at__gte=since)
    return dict(rows.values_list("person_id").annotate(count=Count("pk")).values_list("person_id", "count"))


def activities_by_source_keys(*, keys: list[str]) -> list[Activity]:
    return list(Activity.objects.filter(source_key__in=keys))


def activity_staff_may_act(*, activity: Activity, staff: User) -> bool:
    """The organising organisation's active staff, and coordinators of the activity's area."""
    if (
        activity.organisation_id is not None
        and OrganisationMembership.objects.filter(
            organisation_id=activity.organisation_id, user=staff, is_active=True
        ).exists()
    ):
        return True
    return activity.school_district_id in staff_area_ids(user=staff)


def activity_list_for_staff(*, staff: User) -> QuerySet[Activity]:
    """Activities a staff member organises (through an organisation) or coordinates (by area)."""
    organisations = OrganisationMembership.objects.filter(user=staff, is_active=True).values(
        "organisation_id"
    )
    return Activity.objects.filter(
        Q(organisation_id__in=organisations) | Q(school_district_id__in=staff_area_ids(user=staff))
    ).select_related("organisation", "category", "school_district")


def activity_get_for_staff(*, activity_id: int, staff: User) -> Activity | None:
    return activity_list_for_staff(staff=staff).filter(pk=activity_id).first()


def participants_for_staff(*, activity: Activity) -> QuerySet[Participation]:
    return (
        activity.participations.filter(status=Participation.Status.REGISTERED)
        .select_related("person", "verified_by")
        .order_by("pk")
    )


def participation_list_for_person(*, person: User) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(person=person)
        .select_related("activity")
        .order_by("-activity__starts_at")
    )


def event_series_get_for_staff(*, series_id: int, staff: User) -> EventSeries | None:
    """A series of an organisation the staff member is active for."""
    return EventSeries.objects.filter(
        pk=series_id, organisation__memberships__user=staff, organisation__memberships__is_active=True
    ).first()
