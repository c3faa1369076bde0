"""Volunteer information published: upcoming events for anyone, with their free places, nothing
personal, counted per address."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Activity
from tests.core.test_throttling import rates
from tests.factories import ActivityFactory, ParticipationFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(organisation: Organisation, resident: User) -> dict[str, Activity]:
    now = timezone.now()
    upcoming = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        capacity=3,
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=2),
    )
    ParticipationFactory(activity=upcoming, person=resident)
    past = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=2),
    )
    scheduled = ActivityFactory(
        kind=Activity.Kind.ONE_OFF,
        organisation=organisation,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=1),
    )
    return {"upcoming": upcoming, "past": past, "scheduled": scheduled}


def test_anyone_lists_upcoming_events_with_their_free_places_and_nothing_personal(
    events: dict[str, Activity], resident: User
) -> None:
    anonymous = APIClient()

    listed = anonymous.get("/api/v1/public/events/", {"date_from": "2000-01-01"})

    assert listed.status_code == 200
    (event,) = listed.json()["results"]
    assert (event["id"], event["registered"], event["free_places"]) == (events["upcoming"].pk, 1, 2)
    assert event["organisation"]["name"] == events["upcoming"].organisation.name
    assert resident.email not in listed.content.decode()
    assert resident.display_name not in listed.content.decode()


def test_anyone_opens_an_upcoming_event_but_not_an_ended_one_or_a_matchs_activity(
    events: dict[str, Activity],
) -> None:
    anonymous = APIClient()

    opened = anonymous.get(f"/api/v1/public/events/{events['upcoming'].pk}/")
    ended = anonymous.get(f"/api/v1/public/events/{events['past'].pk}/")
    private = anonymous.get(f"/api/v1/public/events/{events['scheduled'].pk}/")

    assert opened.status_code == 200
    assert opened.json()["free_places"] == 2
    assert (ended.status_code, private.status_code) == (404, 404)


def test_a_stale_token_does_not_stop_the_public_listing(events: dict[str, Activity]) -> None:
    """Nothing is authenticated here: an app that sends an expired token still gets the list."""
    anonymous = APIClient(HTTP_X_SESSION_TOKEN="expired")

    assert anonymous.get("/api/v1/public/events/").status_code == 200


def test_the_public_listing_is_counted_per_address(settings: Any, events: dict[str, Activity]) -> None:
    rates(settings, address="2/minute")
    anonymous = APIClient(REMOTE_ADDR="198.51.100.9")

    answers = [anonymous.get("/api/v1/public/events/").status_code for _ in range(3)]
    refused = anonymous.get(f"/api/v1/public/events/{events['upcoming'].pk}/")

    assert answers == [200, 200, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
