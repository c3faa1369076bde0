"""Bounded input: every attack here was a server error or a crawl before; each is now a quick 400
or 404 in the API's error shape, and changes nothing."""

import json
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.limits import MAX_JSON_DEPTH, json_too_deep
from matching.models import Offer
from volunteer.models import User

pytestmark = pytest.mark.django_db
ApiClient = Callable[[User], APIClient]


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    "path", ["/api/v1/offers/", "/api/v1/me/", "/_allauth/app/v1/auth/login", "/api/v1/ping/"]
)
def test_a_body_nested_too_deep_is_a_400_before_anything_parses_it(path: str) -> None:
    response = APIClient().post(path, nested(990), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "json_too_deep"
    assert body["errors"] == [{"field": None, "code": "json_too_deep", "message": body["message"]}]
    assert str(MAX_JSON_DEPTH) in body["message"]


def test_the_refusal_is_translated(client_for: ApiClient, resident: User) -> None:
    response = client_for(resident).post(
        "/api/v1/offers/", "[" * 1000 + "]" * 1000, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 400
    assert "階層" in response.json()["message"]
    assert Offer.objects.count() == 0


def test_a_staff_page_gets_a_short_page_not_a_server_error(client: Client) -> None:
    response = client.post("/staff/queue/", nested(2000), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_brackets_inside_strings_do_not_count() -> None:
    assert not json_too_deep(json.dumps({"note": "[" * 5000, "list": [[["{"]]]}))
    assert json_too_deep(nested(MAX_JSON_DEPTH + 1))
    assert not json_too_deep(nested(MAX_JSON_DEPTH))
    assert not json_too_deep('{"a": "\\"[[[[[[' + "[" * 100 + '"}')


def test_an_ordinary_nested_body_still_goes_through(client_for: ApiClient, resident: User) -> None:
    response = client_for(resident).patch(
        "/api/v1/me/", {"notification_preferences": {"email": False, "push": True}}, format="json"
    )
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.notification_preferences == {"email": False, "push": True}
