"""Hidden characters (controls, bidi overrides and isolates, invisible marks) are refused in every
input with a translated 400 naming the field, and nothing changes; Japanese, full-width text and
emoji go through."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.text import has_hidden_characters
from matching.models import Offer
from tests.factories import PASSWORD, ActivityCategoryFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
ApiClient = Callable[[User], APIClient]
SIGNUP = "/_allauth/app/v1/auth/signup"
ORDINARY = [
    "田中 勝",
    "ＴＡＮＡＫＡ　カツ",  # full-width letters and an ideographic space
    "たなか😀",
    "家族👨‍👩‍👧",  # zero-width joiners inside an emoji
    "❤️",  # a variation selector
    "葛\U000e0100飾",  # an ideographic variation sequence
]
HIDDEN = [
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200f",
    "\u200e",
    "\u061c",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u200b",
    "\ufeff",
]


@pytest.mark.parametrize("mark", HIDDEN)
def test_a_name_with_a_hidden_character_is_refused_and_the_profile_is_unchanged(
    client_for: ApiClient, resident: User, mark: str
) -> None:
    before = resident.display_name
    response = client_for(resident).patch(
        "/api/v1/me/", {"display_name": f"管理者{mark}tset"}, format="json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "hidden_characters"
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("display_name", "hidden_characters")]
    assert "制御文字" in body["message"]
    resident.refresh_from_db()
    assert resident.display_name == before


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_japanese_full_width_and_emoji_names_go_through(
    client_for: ApiClient, resident: User, name: str
) -> None:
    response = client_for(resident).patch("/api/v1/me/", {"display_name": name}, format="json")
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.display_name == name


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\t", "\u2028"])
def test_a_name_is_one_line(client_for: ApiClient, resident: User, line_break: str) -> None:
    response = client_for(resident).patch(
        "/api/v1/me/", {"display_name": f"田中{line_break}勝"}, format="json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("display_name", "hidden_characters")
    ]


def test_a_note_keeps_its_lines_and_tabs_but_not_an_override(client_for: ApiClient, resident: User) -> None:
    ActivityCategoryFactory(code="listening")
    body = {"categories": ["listening"], "valid_until": "2030-01-01", "note": "平日の午後\r\n\t送迎できます"}
    assert client_for(resident).post("/api/v1/offers/", body, format="json").status_code == 201
    refused = client_for(resident).post(
        "/api/v1/offers/", {**body, "note": "平日\u202eの午後"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "note"
    assert Offer.objects.get().note == "平日の午後\r\n\t送迎できます"


def test_a_key_or_a_nested_value_is_named_by_its_path(client_for: ApiClient, resident: User) -> None:
    before = list(resident.consents.values_list("pk", flat=True))
    response = client_for(resident).patch(
        "/api/v1/me/", {"consents": [{"document": "terms", "version": "1\u2067"}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "consents.0.version"
    assert list(resident.consents.values_list("pk", flat=True)) == before


def test_sign_up_refuses_a_hidden_character_in_the_name_and_creates_no_one(api_client: APIClient) -> None:
    body = {"email": "new@example.com", "password": PASSWORD, "display_name": "市役所\u202e職員"}
    response = api_client.post(SIGNUP, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "display_name"
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_refuses_a_name_on_two_lines(api_client: APIClient) -> None:
    body = {"email": "new@example.com", "password": PASSWORD, "display_name": "市役所\n職員"}
    response = api_client.post(SIGNUP, body, format="json")
    assert response.status_code == 400
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_keeps_a_japanese_emoji_name(api_client: APIClient) -> None:
    body = {"email": "new@example.com", "password": PASSWORD, "display_name": "たなか🌸"}
    assert api_client.post(SIGNUP, body, format="json").status_code == 200
    assert User.objects.get(email="new@example.com").display_name == "たなか🌸"


def test_a_staff_page_form_with_an_override_is_refused(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    response = client.post("/staff/volunteer/organisation/add/", {"name": "\u202eなんとか会"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Organisation.objects.exists()


def test_the_check_knows_surrogates_and_c1_controls() -> None:
    assert has_hidden_characters("\ud800")
    assert has_hidden_characters("\x9b")
    assert not any(has_hidden_characters(text) for text in ORDINARY)
