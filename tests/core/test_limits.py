"""Bounded input: every attack here was a server error or a crawl before; each is now a quick 400
or 404 in the API's error shape, and changes nothing."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.limits import MAX_JSON_DEPTH, json_too_deep
from matching.models import Need, Offer
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    NotificationFactory,
    ParticipationFactory,
    SkillFactory,
)
from volunteer.api.serializers import MAX_CODES
from volunteer.models import OrganisationMembership, User

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


BEYOND_BIGINT = 2**70


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/staff/events/{BEYOND_BIGINT}/verify/",
        f"/api/v1/offers/{BEYOND_BIGINT}/",
        f"/api/v1/matches/{BEYOND_BIGINT}/accept/",
        f"/api/v1/certificates/{BEYOND_BIGINT}/",
        f"/api/v1/staff/organisations/{BEYOND_BIGINT}/approve/",
        f"/api/v1/devices/{2**63}/",
    ],
)
def test_an_id_beyond_the_database_in_a_path_is_a_404(
    client_for: ApiClient, coordinator: User, path: str
) -> None:
    response = client_for(coordinator).post(path, {"participations": [1]}, format="json")
    assert response.status_code == 404


def test_the_largest_id_the_database_holds_still_routes(client_for: ApiClient, resident: User) -> None:
    response = client_for(resident).get(f"/api/v1/offers/{2**63 - 1}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_ids_beyond_the_database_in_a_body_are_refused(client_for: ApiClient, resident: User) -> None:
    notification = NotificationFactory(user=resident)
    response = client_for(resident).post(
        "/api/v1/notifications/read/", {"ids": [notification.pk, BEYOND_BIGINT]}, format="json"
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("ids.1", "max_value")]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_participations_beyond_the_database_are_refused_and_nothing_is_verified(
    client_for: ApiClient, organiser: User
) -> None:
    organisation = OrganisationMembership.objects.get(user=organiser).organisation
    participation = ParticipationFactory(activity=ActivityFactory(organisation=organisation))
    response = client_for(organiser).post(
        f"/api/v1/staff/events/{participation.activity_id}/verify/",
        {"participations": [participation.pk, BEYOND_BIGINT]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "participations.1"
    participation.refresh_from_db()
    assert participation.verified_at is None


def test_queue_filters_beyond_any_age_are_refused_by_the_api(
    client_for: ApiClient, coordinator: User
) -> None:
    response = client_for(coordinator).get(f"/api/v1/staff/matches/?older_than_hours={BEYOND_BIGINT}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "older_than_hours"


@pytest.mark.parametrize(
    "query",
    [
        f"older_than_hours={BEYOND_BIGINT}",
        "older_than_hours=²",
        f"page={BEYOND_BIGINT}",
        "page=" + "9" * 5000,
    ],
)
def test_the_staff_queue_page_ignores_numbers_out_of_range(
    client: Client, coordinator: User, query: str
) -> None:
    client.force_login(coordinator)
    response = client.get(f"/staff/queue/?{query}")
    assert response.status_code == 200


def test_the_staff_events_page_survives_a_huge_page(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    assert client.get(f"/staff/events/?page={BEYOND_BIGINT}").status_code == 200


MANY = 20_000


@pytest.mark.parametrize(
    ("field", "item"),
    [
        ("categories", "listening"),
        ("skills", "listening"),
        ("weekly_availability", {"weekday": 1, "start": "09:00", "end": "10:00"}),
        ("specific_dates", {"date": "2030-01-01", "start": "09:00", "end": "10:00"}),
    ],
)
def test_an_offer_with_thousands_of_items_is_refused_at_once(
    client_for: ApiClient, resident: User, django_assert_max_num_queries: Any, field: str, item: Any
) -> None:
    ActivityCategoryFactory(code="listening")
    body = {"categories": ["listening"], "valid_until": "2030-01-01", field: [item] * MANY}
    # Quick means no per-item work in the database (it was one query per item, 8.5 s); the house
    # times nothing in tests (CONTRIBUTING), so the bound is on queries.
    with django_assert_max_num_queries(10):
        response = client_for(resident).post("/api/v1/offers/", body, format="json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "max_length")]
    assert Offer.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "item"),
    [
        ("skills", "listening"),
        ("interests", "listening"),
        ("weekly_availability", {"weekday": 1, "start": "09:00", "end": "10:00"}),
        ("languages", "ja"),
        ("consents", {"document": "terms", "version": "1"}),
    ],
)
def test_a_profile_update_with_thousands_of_items_is_refused_and_changes_nothing(
    client_for: ApiClient, resident: User, django_assert_max_num_queries: Any, field: str, item: Any
) -> None:
    SkillFactory(code="listening")
    ActivityCategoryFactory(code="listening")
    before = client_for(resident).get("/api/v1/me/").json()
    with django_assert_max_num_queries(10):
        response = client_for(resident).patch(
            "/api/v1/me/", {"display_name": "変更", field: [item] * MANY}, format="json"
        )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "max_length")]
    assert client_for(resident).get("/api/v1/me/").json() == before


@pytest.mark.parametrize(
    "field",
    ["required_skills", "preferred_skills", "required_qualifications", "required_languages", "windows"],
)
def test_a_need_with_too_many_items_is_refused(client_for: ApiClient, resident: User, field: str) -> None:
    item: Any = {"starts_at": "2030-01-01T10:00:00+09:00", "ends_at": "2030-01-01T11:00:00+09:00"}
    response = client_for(resident).post(
        "/api/v1/needs/", {field: [item if field == "windows" else "ja"] * MANY}, format="json"
    )
    assert response.status_code == 400
    assert (field, "max_length") in [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert Need.objects.count() == 0


def test_fifty_codes_are_still_accepted(client_for: ApiClient, resident: User) -> None:
    for n in range(MAX_CODES):
        SkillFactory(code=f"skill-{n}")
    response = client_for(resident).patch(
        "/api/v1/me/", {"skills": [f"skill-{n}" for n in range(MAX_CODES)]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert len(response.json()["skills"]) == MAX_CODES


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/v1/", "/api/v1/offers/abc/", "/_allauth/no-such-thing", "/api/nothing"],
)
def test_an_unknown_api_path_is_a_json_404(path: str) -> None:
    response = APIClient().get(path, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "見つかりません。"}


def test_an_unknown_api_path_is_a_json_404_with_debug_on_too(settings: Any) -> None:
    settings.DEBUG = True  # make run's embedded default, which the app team works against

    response = APIClient().get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_an_unknown_page_is_still_the_usual_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_an_endpoint_does_not_take_is_a_json_405(client_for: ApiClient, resident: User) -> None:
    response = client_for(resident).put("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_body_larger_than_django_reads_is_a_json_400(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": "a" * 2000}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": "The request could not be read."}


@pytest.mark.urls("tests.core.failing_urls")
def test_a_server_error_on_an_api_path_is_json_and_elsewhere_a_page() -> None:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/api/v1/fail/")
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "message": "Something went wrong on our side. Please try again later.",
    }
    page = client.get("/staff/fail/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/_allauth/app/v1/auth/signup", "/_allauth/app/v1/config"])
def test_a_method_allauth_does_not_take_is_a_json_405(path: str) -> None:
    response = APIClient().put(path, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "This method is not allowed here."}
    assert response["Allow"]


def test_the_405_is_translated() -> None:
    response = APIClient().put("/_allauth/app/v1/config", {}, format="json", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.json()["message"] == "このメソッドはここでは使えません。"
