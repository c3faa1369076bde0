"""Waiting lists, age ranges and guardians, recurring events, and trainings that qualify."""

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events import errors, services
from events.models import Activity, EventSeries, Participation
from tests.factories import ActivityFactory, ConsentFactory, QualificationTypeFactory, UserFactory
from volunteer.models import Consent, Notification, Organisation, Qualification, User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def status(participation: Participation) -> str:
    participation.refresh_from_db()
    return participation.status


def test_a_full_event_puts_people_on_its_waiting_list_and_offers_a_freed_place(
    organisation: Organisation,
) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()

    services.event_register(activity=event, person=first)
    waiting = services.event_register(activity=event, person=second)
    last = services.event_register(activity=event, person=third)
    services.event_cancel(activity=event, person=first)

    assert status(waiting) == Participation.Status.OFFERED
    assert status(last) == Participation.Status.WAITLISTED
    waiting.refresh_from_db()
    assert waiting.offer_expires_at is not None
    assert waiting.offer_expires_at <= event.starts_at
    assert Notification.objects.filter(user=second, kind="event_place_offered").count() == 1
    assert services.event_register(activity=event, person=second).status == Participation.Status.REGISTERED
    assert services.event_register(activity=event, person=third).status == Participation.Status.WAITLISTED


def test_the_inbox_gives_the_held_place_notification_its_event(
    client_for: Client, organisation: Organisation
) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)
    first, second = UserFactory(), UserFactory()
    services.event_register(activity=event, person=first)
    services.event_register(activity=event, person=second)
    services.event_cancel(activity=event, person=first)

    (told,) = client_for(second).get("/api/v1/notifications/").json()["results"]
    assert (told["kind"], told["data"]) == ("event_place_offered", {"event": event.pk})


def test_a_held_place_not_taken_in_time_goes_to_the_next_in_line(organisation: Organisation) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    services.event_register(activity=event, person=first)
    held = services.event_register(activity=event, person=second)
    next_in_line = services.event_register(activity=event, person=third)
    services.event_cancel(activity=event, person=first)

    held.refresh_from_db()
    after_hold = held.offer_expires_at + dt.timedelta(minutes=1)
    assert services.waitlist_offers_expire(now=after_hold) == 1
    assert services.waitlist_offers_expire(now=after_hold) == 0  # nothing twice

    assert status(held) == Participation.Status.CANCELLED
    assert status(next_in_line) == Participation.Status.OFFERED
    Participation.objects.filter(pk=next_in_line.pk).update(offer_expires_at=timezone.now() - dt.timedelta(1))
    with pytest.raises(errors.OfferExpired):
        services.event_register(activity=event, person=third)


def test_the_waiting_list_does_not_count_as_busy_for_matching(organisation: Organisation) -> None:
    from events.selectors import registered_windows

    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)
    person = UserFactory()
    services.event_register(activity=event, person=UserFactory())
    services.event_register(activity=event, person=person)

    windows = registered_windows(
        person_ids=[person.pk], start=event.starts_at - dt.timedelta(1), end=event.ends_at + dt.timedelta(1)
    )
    assert windows == {}


def test_an_age_range_is_checked_on_the_event_date(organisation: Organisation) -> None:
    event = ActivityFactory(
        kind=Activity.Kind.EVENT, organisation=organisation, capacity=5, min_age=20, max_age=39
    )
    day = timezone.localtime(event.starts_at).date()
    turns_20_that_day = UserFactory(birth_date=day.replace(year=day.year - 20))
    turns_20_the_next = UserFactory(birth_date=(day + dt.timedelta(days=1)).replace(year=day.year - 20))
    unknown = UserFactory(birth_date=None)

    assert services.event_register(activity=event, person=turns_20_that_day).status == "registered"
    for person in (turns_20_the_next, unknown):
        with pytest.raises(errors.OutsideAgeRange):
            services.event_register(activity=event, person=person)
    assert event.participations.count() == 1


def test_under_18_needs_a_guardians_consent_on_record(organisation: Organisation) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=5)
    pupil = UserFactory(birth_date=timezone.localdate().replace(year=timezone.localdate().year - 15))

    with pytest.raises(errors.GuardianConsentRequired):
        services.event_register(activity=event, person=pupil)
    ConsentFactory(user=pupil, document=Consent.Document.GUARDIAN)

    assert services.event_register(activity=event, person=pupil).status == "registered"


def test_a_weekly_salon_and_a_change_that_leaves_the_past_alone(
    organisation: Organisation, category: Any
) -> None:
    first = timezone.now() - dt.timedelta(days=14, hours=1)
    series = services.event_series_create(
        organisation=organisation,
        rule="FREQ=WEEKLY;COUNT=6",
        details=services.EventDetails(
            title="いきいきサロン",
            category=category,
            school_district=organisation.area,
            starts_at=first,
            ends_at=first + dt.timedelta(hours=2),
            capacity=20,
        ),
    )
    starts = [timezone.localtime(a.starts_at) for a in series.occurrences.order_by("starts_at")]

    assert len(starts) == 6
    assert {s.hour for s in starts} == {timezone.localtime(first).hour}  # Japan time, every week
    assert all((b - a) == dt.timedelta(days=7) for a, b in itertools.pairwise(starts))
    changed = services.event_series_update(
        series=series, changes=services.EventSeriesChanges(title="いきいきサロン（会場変更）", capacity=30)
    )
    assert changed == 3
    past = series.occurrences.filter(starts_at__lt=timezone.now())
    assert set(past.values_list("title", "capacity")) == {("いきいきサロン", 20)}


def test_a_bad_rule_is_a_clear_error_and_creates_nothing(organisation: Organisation, category: Any) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(errors.InvalidRecurrence):
        services.event_series_create(
            organisation=organisation,
            rule="EVERY TUESDAY",
            details=services.EventDetails(
                title="x",
                category=category,
                school_district=organisation.area,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                capacity=5,
            ),
        )
    assert not EventSeries.objects.exists()
    assert not Activity.objects.exists()


def test_the_series_api(
    client_for: Client, organiser: User, organisation: Organisation, category: Any
) -> None:
    start = timezone.now() + dt.timedelta(days=2)
    body = {
        "organisation": organisation.pk,
        "title": "ふくし出前講座",
        "category": category.code,
        "school_district": organisation.area.code,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        "capacity": 15,
        "rule": "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
    }

    created = client_for(organiser).post("/api/v1/staff/event-series/", body, format="json")
    updated = client_for(organiser).patch(
        f"/api/v1/staff/event-series/{created.json()['id']}/", {"capacity": 25}, format="json"
    )
    stranger = client_for(UserFactory()).patch(
        f"/api/v1/staff/event-series/{created.json()['id']}/", {"capacity": 1}, format="json"
    )

    assert created.status_code == 201
    assert len(created.json()["occurrences"]) == 4
    assert updated.json() == {"updated": 4}
    assert stranger.status_code == 403  # not_event_staff


def test_a_verified_training_grants_its_qualification(entered: Participation, organiser: User) -> None:
    registered = entered
    training = QualificationTypeFactory(code="dementia-supporter", kind="training", valid_for_days=365 * 3)
    Activity.objects.filter(pk=registered.activity_id).update(grants_qualification=training)
    registered.refresh_from_db()

    services.participation_verify(participation=registered, staff=organiser, minutes=90, reason="出席簿")

    qualification = Qualification.objects.get(user=registered.person, qualification_type=training)
    assert qualification.obtained_on == timezone.localtime(registered.activity.starts_at).date()
    assert qualification.expires_on == qualification.obtained_on + dt.timedelta(days=365 * 3)
