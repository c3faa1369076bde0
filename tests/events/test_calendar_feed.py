"""A resident's calendar feed: a secret address made in the app, read by calendar apps without a
sign-in, revocable; RFC 5545 as two independent parsers read it (icalendar and ical)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from django.core.cache import cache
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from rest_framework.test import APIClient

from core.personal_data import person_erase_everywhere, person_export
from events.models import Activity, CalendarFeed, Participation
from tests.factories import ActivityFactory, ParticipationFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def _at(days: int, hour: int) -> dt.datetime:
    return (timezone.localtime() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def activities(resident: User, organisation: Organisation) -> dict[str, Participation]:
    def taking_part(title: str, days: int, status: str = Participation.Status.REGISTERED) -> Participation:
        activity = ActivityFactory(
            kind=Activity.Kind.EVENT,
            organisation=organisation,
            title=title,
            starts_at=_at(days, 10),
            ends_at=_at(days, 12),
        )
        return ParticipationFactory(person=resident, activity=activity, status=status)

    return {
        "salon": taking_part("いきいきサロン", 3),
        "waiting": taking_part("子ども食堂", 5, Participation.Status.WAITLISTED),
        "cancelled": taking_part("清掃活動", 6, Participation.Status.CANCELLED),
        "last_month": taking_part("先月の講座", -30),
        "long_ago": taking_part("昨年の講座", -120),
    }


def _feed(client_for: Client, person: User) -> dict[str, Any]:
    made = client_for(person).post("/api/v1/me/calendar/")
    assert made.status_code == 201
    return dict(made.json())


def _path(feed: dict[str, Any]) -> str:
    return "/api/v1/" + feed["url"].split("/api/v1/", 1)[1]


def test_the_feed_lists_my_activities_as_two_parsers_read_it(
    client_for: Client, resident: User, activities: dict[str, Participation], organisation: Organisation
) -> None:
    feed = _feed(client_for, resident)
    answer = APIClient().get(_path(feed), HTTP_ACCEPT="text/calendar")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer["Cache-Control"] == "private, no-store"
    assert feed["webcal_url"] == "webcal://" + feed["url"].split("://", 1)[1]
    text = answer.content.decode()
    first = icalendar.Calendar.from_ical(answer.content)
    events = {str(e["summary"]): e for e in first.walk("VEVENT")}
    assert set(events) == {"いきいきサロン", "子ども食堂", "先月の講座"}  # not cancelled, 90 days back
    salon = activities["salon"]
    assert events["いきいきサロン"].decoded("dtstart") == salon.activity.starts_at
    assert events["いきいきサロン"].decoded("dtend") == salon.activity.ends_at
    assert str(events["いきいきサロン"]["status"]) == "CONFIRMED"
    assert str(events["子ども食堂"]["status"]) == "TENTATIVE"
    assert str(events["いきいきサロン"]["location"]) == salon.activity.school_district.name
    assert organisation.name in str(events["いきいきサロン"]["description"])
    second = IcsCalendarStream.calendar_from_ics(text)
    assert sorted(e.summary or "" for e in second.events) == sorted(events)
    assert {e.uid for e in second.events} == {str(e["uid"]) for e in events.values()}
    assert {e.dtstart for e in second.events if e.summary == "いきいきサロン"} == {salon.activity.starts_at}
    assert resident.email not in text
    assert (resident.display_name or resident.email) not in text


def test_any_calendar_accept_header_is_served_and_the_uid_stays_across_fetches(
    client_for: Client, resident: User, activities: dict[str, Participation]
) -> None:
    path = _path(_feed(client_for, resident))
    uids = []
    for accept in ("text/calendar", "*/*", "text/calendar, application/json;q=0.5"):
        answer = APIClient().get(path, HTTP_ACCEPT=accept)
        assert answer.status_code == 200, accept
        uids.append(
            sorted(str(e["uid"]) for e in icalendar.Calendar.from_ical(answer.content).walk("VEVENT"))
        )
    assert uids[0] == uids[1] == uids[2]
    assert APIClient().get(path, HTTP_ACCEPT="image/png").status_code == 406


def test_a_new_address_revokes_the_old_and_a_revoked_one_answers_404(
    client_for: Client, resident: User, activities: dict[str, Participation]
) -> None:
    client = client_for(resident)
    first = _feed(client_for, resident)
    second = _feed(client_for, resident)

    assert APIClient().get(_path(first)).status_code == 404
    assert APIClient().get(_path(second)).status_code == 200
    assert client.get("/api/v1/me/calendar/").json()["created_at"] == second["created_at"]
    assert "url" not in client.get("/api/v1/me/calendar/").json()  # shown once only
    assert client.delete("/api/v1/me/calendar/").status_code == 204
    assert APIClient().get(_path(second)).status_code == 404
    assert client.get("/api/v1/me/calendar/").status_code == 404
    assert client.delete("/api/v1/me/calendar/").status_code == 404
    assert not CalendarFeed.objects.exists()


def test_only_the_tokens_hash_is_kept_and_the_export_shows_the_feed_without_it(
    client_for: Client, resident: User
) -> None:
    feed = _feed(client_for, resident)
    token = _path(feed).rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(person=resident)

    assert token not in stored.token_hash
    assert len(token) >= 43
    exported = person_export(resident, at=timezone.now())
    rows = exported["records"]["events.CalendarFeed"]["rows"]
    assert [(row["id"], row["created_at"]) for row in rows] == [(stored.pk, stored.created_at)]
    assert "token_hash" not in rows[0]
    assert stored.token_hash not in str(exported)


def test_erasure_revokes_the_feed(client_for: Client, resident: User) -> None:
    path = _path(_feed(client_for, resident))
    person_erase_everywhere(resident, at=timezone.now())

    assert APIClient().get(path).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_is_counted_per_address_it_lives_at(
    settings: Any, client_for: Client, resident: User, other_resident: User
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "calendar_feed": "2/hour",
        },
    }
    cache.clear()
    mine, theirs = _path(_feed(client_for, resident)), _path(_feed(client_for, other_resident))
    answers = [APIClient().get(mine).status_code for _ in range(3)]
    refused = APIClient().get(mine)

    assert answers == [200, 200, 429]
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert APIClient().get(theirs).status_code == 200  # another feed counts on its own
