"""Brute-force protection of the staff login (django-axes): a username from one address is
locked after five failures, even for the right password, until the cool-off has passed; and one
address may try only so many sign-ins an hour, whatever the usernames (password spraying)."""

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"


def log_in(client: Client, user: User, password: str, address: str = ATTACKER) -> int:
    response = client.post(
        "/staff/login/",
        {"username": user.email, "password": password, "next": "/staff/"},
        REMOTE_ADDR=address,
    )
    return response.status_code


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_from_that_address_until_the_cool_off(
    client: Client, coordinator: User
) -> None:
    failures = [log_in(client, coordinator, "wrong-password") for _ in range(5)]

    assert failures[:4] == [200] * 4  # the form again, with its error
    assert log_in(client, coordinator, PASSWORD) == 429
    assert not signed_in(client)

    # Fifteen minutes on, the attempts have cooled off and the right password works.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert log_in(client, coordinator, PASSWORD) == 302
    assert signed_in(client)


def test_a_guesser_elsewhere_cannot_lock_the_coordinator_out(client: Client, coordinator: User) -> None:
    for _ in range(6):
        log_in(Client(), coordinator, "wrong-password", address=ATTACKER)

    assert log_in(client, coordinator, PASSWORD, address="192.0.2.10") == 302
    assert signed_in(client)


def test_a_success_forgets_the_earlier_failures(client: Client, coordinator: User) -> None:
    for _ in range(4):
        log_in(Client(), coordinator, "wrong-password")
    assert log_in(Client(), coordinator, PASSWORD) == 302

    for _ in range(4):
        log_in(Client(), coordinator, "wrong-password")

    assert log_in(client, coordinator, PASSWORD) == 302


def test_the_app_login_is_left_to_allauth(client: Client, resident: User) -> None:
    for _ in range(6):
        client.post(
            "/_allauth/app/v1/auth/login",
            {"email": f"guess{_}@example.com", "password": "wrong-password"},
            content_type="application/json",
            REMOTE_ADDR=ATTACKER,
        )

    signed_in = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": resident.email, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=ATTACKER,
    )

    assert signed_in.status_code == 200
    assert not AccessAttempt.objects.exists()


def test_one_address_spraying_a_password_over_many_usernames_is_told_to_wait(
    client: Client, settings: Any, coordinator: User
) -> None:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "staff_login": "3/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    others = [UserFactory(email=f"staff{n}@example.com", is_staff=True) for n in range(3)]
    sprayed = [log_in(Client(), user, "Summer2026!") for user in others]

    refused = Client().post(
        "/staff/login/", {"username": coordinator.email, "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )

    assert sprayed == [200] * 3  # each username failed once: axes alone would never stop this
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert log_in(client, coordinator, PASSWORD, address="192.0.2.10") == 302  # another address
    assert Client().get("/staff/login/", REMOTE_ADDR=ATTACKER).status_code == 200  # the form shows
