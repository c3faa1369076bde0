"""Sign-up, login and logout through allauth's headless API, and the API's answer to tokens."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from plan_registry.models import Area
from tests.factories import PASSWORD, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/_allauth/app/v1/auth/signup"
LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"


def post(client: APIClient, url: str, body: dict[str, Any], language: str = "ja") -> Any:
    return client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_signup_answers_a_session_token_that_the_api_accepts(
    api_client: APIClient, school_district: Area
) -> None:
    response = post(
        api_client,
        SIGNUP,
        {
            "email": "Katsu.Tanaka@Example.com",
            "password": PASSWORD,
            "display_name": "田中 勝",
            "birth_date": "1953-06-10",
            "school_district": school_district.code,
        },
    )
    assert response.status_code == 200, response.json()
    token = response.json()["meta"]["session_token"]
    user = User.objects.get(email="katsu.tanaka@example.com")
    assert (user.display_name, str(user.birth_date), user.school_district) == (
        "田中 勝",
        "1953-06-10",
        school_district,
    )

    me = APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json()["email"] == "katsu.tanaka@example.com"
    assert me.json()["school_district"] == school_district.code


def test_login_then_logout_revokes_the_token(api_client: APIClient) -> None:
    UserFactory(email="ayumi@example.com")
    login = post(api_client, LOGIN, {"email": "ayumi@example.com", "password": PASSWORD})
    assert login.status_code == 200
    token = login.json()["meta"]["session_token"]
    assert APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200

    logout = APIClient().delete(SESSION, HTTP_X_SESSION_TOKEN=token)
    assert logout.status_code == 401  # allauth answers a successful logout with 401 by design

    after = APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_session"
    assert after["WWW-Authenticate"] == "X-Session-Token"


def test_login_with_a_wrong_password_is_refused(api_client: APIClient) -> None:
    UserFactory(email="ayumi@example.com")
    response = post(api_client, LOGIN, {"email": "ayumi@example.com", "password": "not-the-password"})
    assert response.status_code == 400
    assert "session_token" not in response.json().get("meta", {})


def test_anonymous_me_is_401_with_a_translated_message(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "このエンドポイントを利用するにはサインインしてください。",
    }
    english = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "Sign in to use this endpoint."


def test_a_made_up_token_is_401(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN="made-up-token")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_session"


def _codes(response: Any) -> set[str]:
    return {error["code"] for error in response.json()["errors"]}


def test_signup_with_an_existing_email_is_refused_and_creates_nothing(api_client: APIClient) -> None:
    UserFactory(email="taken@example.com")
    response = post(api_client, SIGNUP, {"email": "taken@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "email_taken" in _codes(response)
    assert User.objects.count() == 1


def test_signup_with_a_weak_password_gives_one_error_per_rule(api_client: APIClient) -> None:
    response = post(api_client, SIGNUP, {"email": "new@example.com", "password": "12345"})
    assert response.status_code == 400
    assert {"password_too_short", "password_too_common", "password_entirely_numeric"} <= _codes(response)
    assert not User.objects.exists()


def test_signup_with_an_impossible_birth_date_is_refused(api_client: APIClient) -> None:
    response = post(
        api_client, SIGNUP, {"email": "new@example.com", "password": PASSWORD, "birth_date": "2001-02-30"}
    )
    assert response.status_code == 400
    assert [e["param"] for e in response.json()["errors"]] == ["birth_date"]
    assert not User.objects.exists()


def test_signup_with_a_future_birth_date_is_refused_in_english_on_request(api_client: APIClient) -> None:
    response = post(
        api_client,
        SIGNUP,
        {"email": "new@example.com", "password": PASSWORD, "birth_date": "2999-01-01"},
        "en",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The birth date is in the future."
    assert not User.objects.exists()


def test_signup_with_an_unknown_school_district_is_refused_in_japanese(api_client: APIClient) -> None:
    response = post(
        api_client, SIGNUP, {"email": "new@example.com", "password": PASSWORD, "school_district": "nowhere"}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["param"], error["code"], error["message"]) == (
        "school_district",
        "unknown_school_district",
        "存在しない校区です。",
    )
    assert not User.objects.exists()
