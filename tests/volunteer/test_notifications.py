"""Notifications: stored once per event, sent through the channels a person allows, within budget."""

from typing import Any

import pytest
from django.core import mail

from tests.factories import DeviceFactory, NotificationFactory, UserFactory
from volunteer.models import Device, NotificationDelivery, User
from volunteer.services import notification_deliver, notification_send

pytestmark = pytest.mark.django_db


def send(user: User, key: str, capture: Any) -> Any:
    with capture(execute=True):
        return notification_send(user=user, kind="test", title="お知らせ", body="本文", dedupe_key=key)


def outcomes(user: User) -> list[tuple[str, str]]:
    return sorted(
        NotificationDelivery.objects.filter(notification__user=user).values_list("channel", "outcome")
    )


def test_one_event_is_stored_and_sent_once(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    DeviceFactory(user=user)
    first = send(user, "match:1:confirmed", django_capture_on_commit_callbacks)
    again = send(user, "match:1:confirmed", django_capture_on_commit_callbacks)
    assert first.pk == again.pk
    assert user.notifications.count() == 1
    assert len(mail.outbox) == 1
    assert outcomes(user) == [("email", "sent"), ("push", "sent")]
    assert notification_deliver(notification_id=first.pk) == []  # a redelivered task sends nothing


def test_channels_the_person_turned_off_are_skipped(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(notification_preferences={"email": False, "push": True})
    send(user, "k", django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert outcomes(user) == [("email", "skipped_preference"), ("push", "skipped_no_device")]


def test_the_daily_budget_stops_sending_but_keeps_the_inbox(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTIFICATION_DAILY_BUDGET = 2
    user = UserFactory(notification_preferences={"email": True, "push": False})
    for number in range(4):
        send(user, f"k{number}", django_capture_on_commit_callbacks)
    assert user.notifications.count() == 4
    assert len(mail.outbox) == 2
    assert [o for _c, o in outcomes(user) if _c == "email"].count("skipped_budget") == 2


def test_inbox_lists_mine_and_marks_read(client_for: Any, resident: User, other_resident: User) -> None:
    mine = NotificationFactory(user=resident, title="あなたへ")
    NotificationFactory(user=other_resident, title="他の人へ")
    client = client_for(resident)
    assert [n["title"] for n in client.get("/api/v1/notifications/").json()["results"]] == ["あなたへ"]
    client.post("/api/v1/notifications/read/", {"ids": [mine.pk]}, format="json")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_devices_register_move_and_remove(client_for: Any, resident: User, other_resident: User) -> None:
    body = {"platform": "ios", "token": "apns-token-1"}
    assert client_for(other_resident).post("/api/v1/devices/", body, format="json").status_code == 201
    response = client_for(resident).post("/api/v1/devices/", body, format="json")
    assert response.status_code == 201
    device = Device.objects.get()
    assert device.user == resident
    assert client_for(other_resident).delete(f"/api/v1/devices/{device.pk}/").status_code == 404
    assert client_for(resident).delete(f"/api/v1/devices/{device.pk}/").status_code == 204
    assert not Device.objects.exists()


def test_a_bad_device_is_refused(client_for: Any, resident: User) -> None:
    response = client_for(resident).post(
        "/api/v1/devices/", {"platform": "windows-phone", "token": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "platform"
    assert not Device.objects.exists()
