"""Reads of activities and participation that other apps (matching) need."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from events.models import Activity, Participation


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
