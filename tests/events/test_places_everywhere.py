"""Places are counted the same way wherever an activity appears (the list, its page, my
participations, the answer to registering), a place held for the waiting list is taken, and a
participant can always open their activity."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from events.models import Activity, Participation
from tests.factories import ActivityFactory, ParticipationFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(organisation: Organisation, resident: User) -> Activity:
    """Two places: the resident's, and one held for the next on the waiting list."""
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=2)
    ParticipationFactory(activity=event, person=resident)
    ParticipationFactory(activity=event, status=Participation.Status.OFFERED)
    return event


def _shown(body: dict[str, object]) -> tuple[object, object]:
    return body["registered"], body["free_places"]


def test_every_answer_shows_the_same_places(
    client_for: Callable[[User], APIClient], resident: User, other_resident: User, full_event: Activity
) -> None:
    listed = client_for(resident).get("/api/v1/events/").json()["results"]
    detail = client_for(resident).get(f"/api/v1/events/{full_event.pk}/").json()
    mine = client_for(resident).get("/api/v1/me/participations/").json()["results"]
    registering = client_for(other_resident).post(f"/api/v1/events/{full_event.pk}/register/").json()

    assert [_shown(event) for event in listed] == [(1, 0)]
    assert _shown(detail) == (1, 0)
    assert [_shown(participation["event"]) for participation in mine] == [(1, 0)]
    assert registering["status"] == "waitlisted"
    assert _shown(registering["event"]) == (1, 0)


def test_a_place_held_for_the_waiting_list_is_not_free(
    client_for: Callable[[User], APIClient], resident: User, full_event: Activity
) -> None:
    response = client_for(resident).get("/api/v1/events/", {"with_free_places": "true"})

    assert response.json()["count"] == 0


def test_a_participant_opens_the_activity_their_match_scheduled_and_nobody_else_does(
    client_for: Callable[[User], APIClient], resident: User, other_resident: User
) -> None:
    scheduled = ActivityFactory(kind=Activity.Kind.ONE_OFF, capacity=1)
    ParticipationFactory(activity=scheduled, person=resident, source_key="match:1")

    mine = client_for(resident).get(f"/api/v1/events/{scheduled.pk}/")
    theirs = client_for(other_resident).get(f"/api/v1/events/{scheduled.pk}/")

    assert mine.status_code == 200
    assert _shown(mine.json()) == (1, 0)
    assert mine.json()["grants_qualification"] is None
    assert theirs.status_code == 404
