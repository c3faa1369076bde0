"""Demo events with a history (demo mode only): weekly salons, trainings, care-facility visits
over the last two fiscal years and the coming weeks, with registrations, check-ins and verified
attendance, so that lists, the staff pages and the points have something to show.

Past attendance is written in bulk (the demo's history, not something a person did through the
app); everything from verification on (qualifications, points) goes through the services.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from events import services
from events.models import Activity, CheckIn, Participation
from plan_registry.models import Programme
from volunteer.models import ActivityCategory, Organisation, QualificationType, User

DEMO_NOTE = "（デモ）"
PAST_WEEKS = 90
FUTURE_WEEKS = 6


@dataclass(frozen=True)
class EventsDemo:
    events: int
    verified: int
    upcoming_registrations: int


def participation_load(*, seed: int = 2025, past_weeks: int = PAST_WEEKS) -> EventsDemo:
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    if Activity.objects.filter(source_key__startswith="demo-event:").exists():
        return EventsDemo(0, 0, 0)  # already loaded
    rng = random.Random(seed)
    events = _events_create(rng, past_weeks)
    verified = _history(rng, [e for e in events if e.ends_at < timezone.now()])
    upcoming = _upcoming(rng, [e for e in events if e.starts_at > timezone.now()])
    _tanaka(rng, events)
    return EventsDemo(len(events), verified, upcoming)


def _events_create(rng: random.Random, past_weeks: int) -> list[Activity]:
    demo = Organisation.objects.filter(is_demo=True, status=Organisation.Status.APPROVED).select_related(
        "area"
    )
    salon = ActivityCategory.objects.filter(code="salon").first() or ActivityCategory.objects.first()
    listening = ActivityCategory.objects.filter(code="listening").first() or salon
    if salon is None or listening is None:
        return []
    salon_programme = Programme.objects.filter(name__contains="サロン").first()
    training_programme = Programme.objects.filter(name="ボランティアセンター事業").first()
    start = _monday(timezone.localdate() - dt.timedelta(weeks=past_weeks))
    rows: list[Activity] = []
    for organisation in demo.exclude(kind=Organisation.Kind.CARE_FACILITY).order_by("pk")[:8]:
        hour = rng.choice([10, 13, 14])
        for week in range(past_weeks + FUTURE_WEEKS):
            rows.append(_event(organisation, salon, salon_programme, start, week, hour, "いきいきサロン", 15))
    for organisation in demo.filter(is_care_host=True).order_by("pk")[:4]:
        for week in range(past_weeks + FUTURE_WEEKS):
            rows.append(_event(organisation, listening, None, start, week, 13, "施設での傾聴ボランティア", 6))
    centre = demo.filter(kind=Organisation.Kind.VOLUNTEER_CENTRE).first()
    trainings = {q.code: q for q in QualificationType.objects.filter(kind=QualificationType.Kind.TRAINING)}
    if centre is not None:
        for month in range(0, past_weeks + FUTURE_WEEKS, 4):
            for code, title in (
                ("volunteer-intro", "ボランティア入門講座"),
                ("dementia-supporter", "認知症サポーター養成講座"),
            ):
                event = _event(
                    centre,
                    listening,
                    training_programme,
                    start,
                    month,
                    10 if code == "volunteer-intro" else 14,
                    title,
                    30,
                )
                event.grants_qualification = trainings.get(code)
                rows.append(event)
    for number, event in enumerate(rows):
        event.source_key = f"demo-event:{number}"
    return Activity.objects.bulk_create(rows)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _event(
    organisation: Organisation,
    category: ActivityCategory,
    programme: Programme | None,
    start: dt.date,
    week: int,
    hour: int,
    title: str,
    capacity: int,
) -> Activity:
    day = start + dt.timedelta(weeks=week, days=organisation.pk % 5)
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    return Activity(
        kind=Activity.Kind.EVENT,
        title=f"{title}{DEMO_NOTE}",
        category=category,
        organisation=organisation,
        programme=programme,
        school_district=organisation.area,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=capacity,
        created_at=starts_at - dt.timedelta(days=14),
    )


def _neighbours(event: Activity, people: list[User], rng: random.Random, count: int) -> list[User]:
    near = [p for p in people if p.school_district_id == event.school_district_id] or people
    return rng.sample(near, min(count, len(near)))


def _history(rng: random.Random, past: list[Activity]) -> int:
    """Registrations, check-ins and verified attendance; a few people come every week (the
    plan's 担い手の固定化), most now and then."""
    people = list(User.objects.filter(is_demo=True, is_staff=False).exclude(email="resident@example.com"))
    if not people:
        return 0
    regulars = rng.sample(people, min(40, len(people)))
    participations, checkins = [], []
    for event in past:
        verifier = _verifier(event)
        chosen = {
            p.pk: p for p in _neighbours(event, people, rng, rng.randint(2, max(3, event.capacity // 2)))
        }
        for person in rng.sample(regulars, 2):
            chosen.setdefault(person.pk, person)
        for person in list(chosen.values())[: event.capacity]:
            arrived = event.starts_at + dt.timedelta(minutes=rng.randint(-10, 15))
            left = event.ends_at + dt.timedelta(minutes=rng.randint(-30, 10))
            minutes = int((min(left, event.ends_at) - max(arrived, event.starts_at)).total_seconds() // 60)
            participations.append(
                Participation(
                    activity=event,
                    person=person,
                    registered_at=event.created_at,
                    source_key="demo",
                    checked_in_at=arrived,
                    checked_out_at=left,
                    minutes=minutes,
                    verified_at=event.ends_at,
                    verified_by=verifier,
                )
            )
    Participation.objects.bulk_create(participations, batch_size=2000)
    for participation in participations:
        for direction, at in (("in", participation.checked_in_at), ("out", participation.checked_out_at)):
            if at is None:
                continue
            checkins.append(
                CheckIn(
                    participation=participation,
                    activity_id=participation.activity_id,
                    person_id=participation.person_id,
                    direction=direction,
                    method=CheckIn.Method.VENUE_QR,
                    at=at,
                )
            )
    CheckIn.objects.bulk_create(checkins, batch_size=4000)
    _grant_trainings(participations)
    return len(participations)


def _verifier(event: Activity) -> User | None:
    organisation = event.organisation
    member = (
        organisation.memberships.filter(is_active=True).select_related("user").first()
        if organisation
        else None
    )
    return member.user if member else User.objects.filter(email="coordinator@example.com").first()


def _grant_trainings(participations: list[Participation]) -> None:
    from volunteer.services import qualification_grant

    for participation in participations:
        training = participation.activity.grants_qualification
        if training is not None:
            qualification_grant(
                user=participation.person,
                qualification_type=training,
                obtained_on=timezone.localtime(participation.activity.starts_at).date(),
                source=f"event:{participation.activity_id}",
            )


def _upcoming(rng: random.Random, future: list[Activity]) -> int:
    """Registrations for the coming weeks; a few events fill up and keep a waiting list."""
    people = list(User.objects.filter(is_demo=True, is_staff=False).exclude(email="resident@example.com"))
    count = 0
    for event in future:
        full = rng.random() < 0.1
        wanted = event.capacity + 2 if full else rng.randint(0, max(1, event.capacity // 2))
        for person in _neighbours(event, people, rng, wanted):
            try:
                services.event_register(activity=event, person=person)
                count += 1
            except Exception:  # noqa: S112 - a demo person outside an event's rules is skipped
                continue
    return count


def _tanaka(rng: random.Random, events: list[Activity]) -> None:
    """The demo resident (72): weekly visits to a care facility and a salon now and then, all
    verified, and a place at next week's salon."""
    tanaka = User.objects.filter(email="resident@example.com").first()
    if tanaka is None:
        return
    now = timezone.now()
    visits = [e for e in events if e.organisation and e.organisation.is_care_host and e.ends_at < now]
    visits = [e for e in visits if e.organisation_id == visits[0].organisation_id][-40:] if visits else []
    salons = [e for e in events if "サロン" in e.title and e.ends_at < now and e.organisation_id][-30::3]
    for event in visits + salons:
        if Participation.objects.filter(activity=event, person=tanaka).exists():
            continue
        participation = Participation.objects.create(
            activity=event,
            person=tanaka,
            registered_at=event.created_at,
            source_key="demo",
            checked_in_at=event.starts_at,
            checked_out_at=event.ends_at,
            minutes=120,
            verified_at=event.ends_at,
            verified_by=_verifier(event),
        )
        for direction, at in (("in", event.starts_at), ("out", event.ends_at)):
            CheckIn.objects.create(
                participation=participation,
                activity=event,
                person=tanaka,
                direction=direction,
                method=CheckIn.Method.VENUE_QR,
                at=at,
            )
    upcoming = (
        Activity.objects.filter(Q(title__contains="サロン"), starts_at__gt=now).order_by("starts_at").first()
    )
    if upcoming is not None:
        services.event_register(activity=upcoming, person=tanaka)
