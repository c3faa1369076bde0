"""After a decision the queue page sends the coordinator back only to a path of this site."""

import pytest
from django.test import Client

from matching.models import Match
from plan_registry.models import Area
from tests.factories import MatchFactory, NeedFactory, OfferFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(school_district: Area) -> Match:
    return MatchFactory(
        need=NeedFactory(school_district=school_district),
        offer=OfferFactory(school_district=school_district),
    )


@pytest.mark.parametrize(
    "asked",
    [
        "https://evil.example/staff/login/",
        "//evil.example/staff/",
        "/\\evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_a_next_outside_the_site_falls_back_to_the_queue(
    client: Client, coordinator: User, proposal: Match, asked: str
) -> None:
    client.force_login(coordinator)

    response = client.post(f"/staff/queue/{proposal.pk}/reject/", {"reason": "日程が合わない", "next": asked})

    assert (response.status_code, response["Location"]) == (302, "/staff/queue/")
    proposal.refresh_from_db()
    assert proposal.status == Match.Status.REJECTED  # the decision itself still went through


def test_a_next_on_this_site_is_kept(client: Client, coordinator: User, proposal: Match) -> None:
    client.force_login(coordinator)

    response = client.post(
        f"/staff/queue/{proposal.pk}/reject/", {"reason": "日程が合わない", "next": "/staff/queue/?page=2"}
    )

    assert (response.status_code, response["Location"]) == (302, "/staff/queue/?page=2")
