"""Reads of activities and participation that other apps (matching) need."""

import datetime as dt
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, Max, Min, Prefetch, Q, QuerySet

from events.models import Activity, CalendarFeed, EventSeries, Participation
from volunteer.models import Organisation, OrganisationMembership, User
from volunteer.selectors import people_of_staff_areas, staff_area_ids

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


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


def _acting_memberships(staff: User) -> QuerySet[OrganisationMembership]:
    """Active memberships of approved organisations: staff of a suspended, rejected or pending
    organisation act for it in nothing."""
    return OrganisationMembership.objects.filter(
        user=staff, is_active=True, organisation__status=Organisation.Status.APPROVED
    )


def acts_for_events(*, user: User) -> bool:
    """Who may use the event staff's endpoints and pages at all: active staff of an approved
    organisation, and the volunteer centre (coordinators and administrators, in their areas)."""
    return _acting_memberships(user).exists() or bool(staff_area_ids(user=user))


def activity_staff_may_act(*, activity: Activity, staff: User) -> bool:
    """The organising organisation's active staff, and coordinators of the activity's area."""
    if (
        activity.organisation_id is not None
        and _acting_memberships(staff).filter(organisation_id=activity.organisation_id).exists()
    ):
        return True
    return activity.school_district_id in staff_area_ids(user=staff)


def activity_list_for_staff(*, staff: User) -> QuerySet[Activity]:
    """Activities a staff member organises (through an organisation) or coordinates (by area)."""
    organisations = _acting_memberships(staff).values("organisation_id")
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
    return _with_counted_activity(Participation.objects.filter(person=person)).order_by(
        "-activity__starts_at"
    )


def event_series_get_for_staff(*, series_id: int, staff: User) -> EventSeries | None:
    """A series of an organisation the staff member is active for."""
    organisations = _acting_memberships(staff).values("organisation_id")
    return EventSeries.objects.filter(pk=series_id, organisation_id__in=organisations).first()


def with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with what their listing shows: how many are registered, and how many places are
    taken (registered, or held for the next on the waiting list). Every answer that shows an
    activity reads these, so its places are counted the same way everywhere."""
    return activities.select_related("organisation", "programme", "category", "school_district").annotate(
        registered_count=Count(
            "participations", filter=Q(participations__status=Participation.Status.REGISTERED)
        ),
        taken_count=Count("participations", filter=Q(participations__status__in=TAKEN_STATUSES)),
    )


TAKEN_STATUSES = (Participation.Status.REGISTERED, Participation.Status.OFFERED)


def _with_counted_activity(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    return participations.prefetch_related(Prefetch("activity", queryset=with_counts(Activity.objects.all())))


def event_get(*, event_id: int) -> Activity | None:
    """An organisation's event, as every signed-in resident may see it."""
    return with_counts(Activity.objects.filter(kind=Activity.Kind.EVENT, pk=event_id)).first()


def activity_get_for_person(*, activity_id: int, person: User) -> Activity | None:
    """An event, or any activity the person takes part in (one scheduled from their match, which
    their participations list): what they can open from their own list."""
    taking_part = Participation.objects.filter(activity_id=activity_id, person=person)
    visible = Q(kind=Activity.Kind.EVENT) | Q(Exists(taking_part))
    return with_counts(Activity.objects.filter(visible, pk=activity_id)).first()


def event_list() -> QuerySet[Activity]:
    """Every event (never an activity scheduled from a match), soonest first, with its counts:
    what any signed-in resident may see. The list's filters narrow it (events.api.filters)."""
    return with_counts(Activity.objects.filter(kind=Activity.Kind.EVENT)).order_by("starts_at", "pk")


def participation_get(*, participation_id: int) -> Participation:
    return _with_counted_activity(Participation.objects.filter(pk=participation_id)).get()


def participant_get(*, activity: Activity, person_id: int) -> User | None:
    """A person registered (in any state) for the activity, for staff entering them by hand."""
    return User.objects.filter(pk=person_id, participations__activity=activity).first()


def _name_key(name: str) -> str:
    """A name as staff and residents write it differently: full or half width, with or without
    the space between family and given name."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def participants_found_at_the_door(*, activity: Activity, asked: str) -> list[User]:
    """Whom staff at the venue mean by what they typed: the registration number (番号, as the
    participants page shows it) or the name the person gives. The venue's screen lists nobody,
    since anyone at the door can touch it; several people of one name all come back, for staff
    to ask the number instead."""
    participants = participants_for_staff(activity=activity)
    if asked.strip().isdigit():
        return [p.person for p in participants.filter(pk=int(asked.strip()))]
    wanted = _name_key(asked)
    return [p.person for p in participants if wanted and _name_key(p.person.display_name) == wanted]


def participations_of_activity(
    *, activity: Activity, participation_ids: list[int]
) -> dict[int, Participation]:
    return {p.pk: p for p in activity.participations.filter(pk__in=participation_ids)}


def calendar_feed_participations(*, token_hash: str, since: dt.datetime) -> QuerySet[Participation] | None:
    """The activities of the feed's owner that end after `since`, soonest first, not cancelled;
    None for an unknown or revoked feed, or an erased owner's."""
    feed = CalendarFeed.objects.filter(token_hash=token_hash, person__is_active=True).first()
    if feed is None:
        return None
    return (
        Participation.objects.filter(person_id=feed.person_id, activity__ends_at__gt=since)
        .exclude(status=Participation.Status.CANCELLED)
        .select_related("activity__school_district", "activity__organisation")
        .order_by("activity__starts_at", "pk")
    )


def calendar_feed_of(*, person: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def with_staff_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """What the staff's event list adds to `with_counts`: the waiting list and the arrivals."""
    return with_counts(activities).annotate(
        waitlisted_count=Count(
            "participations", filter=Q(participations__status=Participation.Status.WAITLISTED)
        ),
        arrived_count=Count(
            "participations",
            filter=Q(
                participations__status=Participation.Status.REGISTERED,
                participations__checked_in_at__isnull=False,
            ),
        ),
    )


def arrivals_count(*, activity: Activity) -> int:
    """How many registered people have checked in: the number the venue's screen shows."""
    return activity.participations.filter(
        status=Participation.Status.REGISTERED, checked_in_at__isnull=False
    ).count()


class NewcomerCounts(TypedDict):
    first_attended: dt.datetime
    last_attended: dt.datetime
    times_attended: int


if TYPE_CHECKING:  # (the alias is the type checker's: at run time the rows are plain users)
    Newcomer = WithAnnotations[User, NewcomerCounts]


def newcomers_for_staff(*, staff: User, since: dt.datetime, only_once: bool = False) -> "QuerySet[Newcomer]":
    """地域デビュー: residents of the staff member's areas whose first attended activity (attendance
    verified) was on or after `since`, with how often they have come and when last, so that a
    coordinator can reach out to those who came once and not again. People who stopped the use of
    their data (利用停止) or were erased are not listed."""
    attended = Q(
        participations__verified_at__isnull=False,
        participations__status=Participation.Status.REGISTERED,
    )
    people = (
        User.objects.filter(people_of_staff_areas(staff=staff), is_active=True, use_suspended_at__isnull=True)
        .annotate(
            first_attended=Min("participations__activity__starts_at", filter=attended),
            last_attended=Max("participations__activity__starts_at", filter=attended),
            times_attended=Count("participations", filter=attended),
        )
        .filter(first_attended__gte=since)
        .select_related("school_district")
        .order_by("-first_attended", "pk")
    )
    return people.filter(times_attended=1) if only_once else people
