"""The organiser's pages: upcoming events, and the venue's check-in code."""

import pytest
from django.test import Client
from django.utils import timezone

from events import tokens
from events.models import Activity
from events.services.attendance import code_key
from tests.factories import PASSWORD
from volunteer.models import User

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
    assert signed_in(other_resident).get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 404
    assert Client().get(f"/staff/events/{running_activity.pk}/checkin/").status_code == 302  # to sign in
