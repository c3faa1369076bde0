"""What the staff-page tests of disaster mode share: a signed-in browser session and the
messages a page said."""

from typing import Any

from django.test import Client

from volunteer.models import User


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response: Any) -> list[str]:
    """The messages the page showed (after `follow=True`, those of the page redirected to)."""
    return [str(message) for message in response.context["messages"]]
