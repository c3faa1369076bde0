"""What the tests of disaster mode share: a signed-in staff-site session and the messages a page
said, and the app signed in just now (a switch of disaster mode asks for a fresh sign-in)."""

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from volunteer.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response: Any) -> list[str]:
    """The messages the page showed (after `follow=True`, those of the page redirected to)."""
    return [str(message) for message in response.context["messages"]]


def freshly_signed_in(person: User) -> APIClient:
    """The app signed in just now, with its session token."""
    response = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": person.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=response.json()["meta"]["session_token"])
    return client
