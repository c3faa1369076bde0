"""The organiser's pages: upcoming events, and the venue's check-in code."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from events import tokens
from events import views as event_views
from events.models import Activity
from events.services.attendance import code_key
from plan_registry.models import Area
from tests.factories import PASSWORD, ActivityFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_the_checkin_screen_shows_a_good_code_for_the_event(
    organiser: User, running_activity: Activity
) -> None:
    page = signed_in(organiser).get(f"/staff/events/{running_activity.pk}/checkin/")

    html = page.content.decode()
    token = html.split('data-token="')[1].split('"')[0]
    read = tokens.venue_token_read(key=code_key(), token=token, at=timezone.now(), period=60)
    assert page.status_code == 200
    assert read.activity_id == running_activity.pk
    assert "<svg" in html
    assert 'http-equiv="refresh"' in html


def test_the_event_list_links_to_the_screen(organiser: User, running_activity: Activity) -> None:
    page = signed_in(organiser).get("/staff/events/")

    assert f"/staff/events/{running_activity.pk}/checkin/" in page.content.decode()


def test_someone_else_does_not_get_the_code(other_resident: User, running_activity: Activity) -> None:
    assert signed_in(other_resident).get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 403
    assert Client().get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 302  # to sign in


def test_the_event_list_pages_rather_than_cutting_off(
    organiser: User, organisation: Organisation, school_district: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_views, "PAGE_SIZE", 2)
    starts = timezone.now() + dt.timedelta(days=1)
    titles = {
        ActivityFactory(
            organisation=organisation,
            school_district=school_district,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        ).title
        for _ in range(3)
    }
    client = signed_in(organiser)

    pages = [client.get("/staff/events/"), client.get("/staff/events/", {"page": 2})]

    assert pages[0].context["page"].paginator.count == 3
    assert {event.title for page in pages for event in page.context["events"]} == titles
    assert "page=2" in pages[0].content.decode()
