"""Demo events with a history: weekly salons, visits to care facilities, the volunteer centre's
trainings and ふくし出前講座, from the first day of the fiscal year two years back to the coming
weeks, with check-ins and verified attendance, so that lists, the staff pages, the points and
the plan's feeds have something to show.

Past attendance is written in bulk (the demo's history, not something a person did through the
app), in the states the services leave behind: registered, checked in and out, verified by the
organisation's staff with the minutes clipped to the event. Qualifications from trainings and
registrations for the coming weeks go through the services.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from demo.city import DEMO_LABEL, demo_residents, organisation_staff
from events import errors, services
from events.indicator_feeds import OUTREACH_PROGRAMME
from events.models import Activity, CheckIn, Participation
from plan_registry.models import Programme
from volunteer.models import ActivityCategory, Organisation, QualificationType, User
from volunteer.services import qualification_grant

SOURCE_PREFIX = "demo-event:"
NO_SHOW_SHARE = 0.04  # registered, never came: left unverified, as an organiser would


@dataclass(frozen=True)
class EventPlan:
    """How many organisations hold what, how often, from when."""

    first_day: dt.date
    every_weeks: int
    future_weeks: int
    salon_hosts: int
    care_hosts: int


def participation_loaded() -> bool:
    return Activity.objects.filter(source_key__startswith=SOURCE_PREFIX).exists()


def participation_load(*, rng: random.Random, plan: EventPlan) -> None:
    events = _events_create(rng, plan)
    now = timezone.now()
    people = list(demo_residents().filter(school_district__isnull=False))
    _history(rng, [e for e in events if e.ends_at < now], people)
    _tanaka(events)  # before the others register: he has his place at the next salon
    _upcoming(rng, [e for e in events if e.starts_at > now], people)


def _events_create(rng: random.Random, plan: EventPlan) -> list[Activity]:
    demo = Organisation.objects.filter(is_demo=True, status=Organisation.Status.APPROVED).select_related(
        "area"
    )
    categories = {c.code: c for c in ActivityCategory.objects.all()}
    salon = categories.get("salon") or next(iter(categories.values()))
    listening = categories.get("listening", salon)
    programmes = {
        "salon": Programme.objects.filter(name__contains="サロン").first(),
        "centre": Programme.objects.filter(name="ボランティアセンター事業").first(),
        "outreach": Programme.objects.filter(name=OUTREACH_PROGRAMME).first(),
    }
    start = _monday(plan.first_day)
    weeks = range(0, (timezone.localdate() - start).days // 7 + plan.future_weeks + 1, plan.every_weeks)
    rows: list[Activity] = []
    for organisation in demo.exclude(kind=Organisation.Kind.CARE_FACILITY).order_by("pk")[: plan.salon_hosts]:
        hour = rng.choice([10, 13, 14])
        rows += [
            _event(organisation, salon, programmes["salon"], start, week, hour, "いきいきサロン", 15)
            for week in weeks
        ]
    for organisation in demo.filter(is_care_host=True).order_by("pk")[: plan.care_hosts]:
        rows += [
            _event(organisation, listening, None, start, week, 13, "施設での傾聴ボランティア", 6)
            for week in weeks
        ]
    centre = demo.filter(kind=Organisation.Kind.VOLUNTEER_CENTRE).first()
    if centre is not None:
        rows += _centre_events(rng, centre, listening, programmes, start, weeks[::4])
    for number, event in enumerate(rows):
        event.source_key = f"{SOURCE_PREFIX}{number}"
    return Activity.objects.bulk_create(rows, batch_size=1000)


def _centre_events(
    rng: random.Random,
    centre: Organisation,
    listening: ActivityCategory,
    programmes: dict[str, Programme | None],
    start: dt.date,
    weeks: range,
) -> list[Activity]:
    """The volunteer centre's trainings, which grant a qualification, and its ふくし出前講座, held
    in a school district's hall."""
    trainings = {q.code: q for q in QualificationType.objects.filter(kind=QualificationType.Kind.TRAINING)}
    councils = list(Organisation.objects.filter(is_demo=True, kind=Organisation.Kind.SCHOOL_DISTRICT_COUNCIL))
    rows = []
    for week in weeks:
        for code, title, hour in (
            ("volunteer-intro", "ボランティア入門講座", 10),
            ("dementia-supporter", "認知症サポーター養成講座", 14),
        ):
            event = _event(centre, listening, programmes["centre"], start, week, hour, title, 30)
            event.grants_qualification = trainings.get(code)
            rows.append(event)
        if councils:
            lecture = _event(
                centre, listening, programmes["outreach"], start, week + 1, 19, "ふくし出前講座", 30
            )
            lecture.school_district = rng.choice(councils).area
            rows.append(lecture)
    return rows


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
        title=f"{title}{DEMO_LABEL}",
        category=category,
        organisation=organisation,
        programme=programme,
        school_district=organisation.area,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=capacity,
        created_at=starts_at - dt.timedelta(days=14),
    )


def _history(rng: random.Random, past: list[Activity], people: list[User]) -> None:
    """Registrations, check-ins and verified attendance; a few people come every week (the
    plan's 担い手の固定化), most now and then, and a few never came."""
    if not people:
        return
    nearby = _by_district(people)
    regulars = rng.sample(people, min(40, len(people)))
    staff = organisation_staff()
    participations: list[Participation] = []
    for event in past:
        near = nearby.get(event.school_district_id) or people
        chosen = {
            p.pk: p for p in rng.sample(near, min(len(near), rng.randint(2, max(3, event.capacity // 2))))
        }
        for person in rng.sample(regulars, 2):
            chosen.setdefault(person.pk, person)
        verifier = staff.get(event.organisation_id or 0)
        participations += [
            _attended(rng, event, person, verifier) for person in list(chosen.values())[: event.capacity]
        ]
    Participation.objects.bulk_create(participations, batch_size=2000)
    CheckIn.objects.bulk_create(
        [checkin for participation in participations for checkin in checkins_of(participation)],
        batch_size=4000,
    )
    _grant_trainings(participations)


def _by_district(people: list[User]) -> defaultdict[int | None, list[User]]:
    nearby: defaultdict[int | None, list[User]] = defaultdict(list)
    for person in people:
        nearby[person.school_district_id].append(person)
    return nearby


def _attended(rng: random.Random, event: Activity, person: User, verifier: User | None) -> Participation:
    registered = Participation(
        activity=event, person=person, registered_at=event.created_at, source_key=f"{SOURCE_PREFIX}history"
    )
    if rng.random() < NO_SHOW_SHARE or verifier is None:
        return registered
    arrived = event.starts_at + dt.timedelta(minutes=rng.randint(-10, 15))
    left = event.ends_at + dt.timedelta(minutes=rng.randint(-30, 10))
    return attended(registered, arrived=arrived, left=left, verifier=verifier)


def attended(
    participation: Participation, *, arrived: dt.datetime, left: dt.datetime, verifier: User
) -> Participation:
    """Checked in and out, and verified that evening by `verifier` with the minutes the check-ins
    give (clipped to the activity, as `participation_verify` counts them)."""
    activity = participation.activity
    minutes = int((min(left, activity.ends_at) - max(arrived, activity.starts_at)).total_seconds() // 60)
    participation.checked_in_at, participation.checked_out_at = arrived, left
    participation.minutes = max(0, minutes)
    participation.verified_at = min(activity.ends_at + dt.timedelta(hours=3), timezone.now())
    participation.verified_by = verifier
    return participation


def checkins_of(participation: Participation) -> list[CheckIn]:
    """The venue-code scans behind a participation's check-in and check-out."""
    scans = (("in", participation.checked_in_at), ("out", participation.checked_out_at))
    return [
        CheckIn(
            participation=participation,
            activity_id=participation.activity_id,
            person_id=participation.person_id,
            direction=direction,
            method=CheckIn.Method.VENUE_QR,
            at=at,
        )
        for direction, at in scans
        if at is not None
    ]


def _grant_trainings(participations: list[Participation]) -> None:
    for participation in participations:
        training = participation.activity.grants_qualification
        if training is not None and participation.verified_at is not None:
            qualification_grant(
                user=participation.person,
                qualification_type=training,
                obtained_on=timezone.localtime(participation.activity.starts_at).date(),
                source=f"event:{participation.activity_id}",
            )


def _upcoming(rng: random.Random, future: list[Activity], people: list[User]) -> None:
    """Registrations for the coming weeks; a few events fill up and keep a waiting list."""
    nearby = _by_district(people)
    for event in future:
        near = nearby.get(event.school_district_id) or people
        wanted = event.capacity + 2 if rng.random() < 0.1 else rng.randint(0, max(1, event.capacity // 2))
        for person in rng.sample(near, min(wanted, len(near))):
            try:
                services.event_register(activity=event, person=person)
            except (errors.OutsideAgeRange, errors.GuardianConsentRequired):
                continue  # a demo person outside the event's rules, as the app would refuse them


def _tanaka(events: list[Activity]) -> None:
    """The demo resident (72): visits to one care facility and a salon now and then, all verified,
    and a place at the next salon."""
    tanaka = User.objects.filter(email="resident@example.com").first()
    if tanaka is None:
        return
    now = timezone.now()
    visits = [e for e in events if e.organisation and e.organisation.is_care_host and e.ends_at < now]
    visits = [e for e in visits if e.organisation_id == visits[0].organisation_id][-40:] if visits else []
    salons = [e for e in events if "サロン" in e.title and e.ends_at < now][-30::3]
    staff = organisation_staff()
    taken = set(Participation.objects.filter(person=tanaka).values_list("activity_id", flat=True))
    participations = [
        attended(
            Participation(activity=event, person=tanaka, registered_at=event.created_at, source_key="app"),
            arrived=event.starts_at,
            left=event.ends_at,
            verifier=staff[event.organisation_id or 0],
        )
        for event in visits + salons
        if event.pk not in taken
    ]
    Participation.objects.bulk_create(participations)
    CheckIn.objects.bulk_create([c for p in participations for c in checkins_of(p)])
    upcoming = [e for e in events if "サロン" in e.title and e.starts_at > now]
    if upcoming:
        services.event_register(activity=min(upcoming, key=lambda e: e.starts_at), person=tanaka)
