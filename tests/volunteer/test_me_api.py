"""GET/PATCH /api/v1/me/: a resident reads and changes their own profile, and only that."""

from typing import Any

import pytest
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from plan_registry.models import Area
from tests.factories import ActivityCategoryFactory, QualificationFactory, SkillFactory
from volunteer.models import Consent, StaffRole, User

pytestmark = pytest.mark.django_db


def patch(client: APIClient, body: dict[str, Any], language: str = "ja") -> Any:
    return client.patch("/api/v1/me/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def _state(user: User) -> dict[str, Any]:
    user.refresh_from_db()
    return {
        **model_to_dict(user, exclude=["last_login"]),
        "consents": list(user.consents.values_list("document", "version")),
    }


def test_me_shows_the_whole_profile(client_for: Any, resident: User) -> None:
    QualificationFactory(
        user=resident,
        qualification_type__code="dementia-supporter",
        qualification_type__name="認知症サポーター",
    )
    body = client_for(resident).get("/api/v1/me/").json()
    assert body["email"] == "resident@example.com"
    assert body["display_name"] == "田中 勝"
    assert body["school_district"] == "chuo-01"
    assert body["roles"] == ["resident"]
    assert body["qualifications"][0]["code"] == "dementia-supporter"
    assert body["notification_preferences"] == {"email": True, "push": True}


def test_patch_sets_profile_fields(client_for: Any, resident: User, other_school_district: Area) -> None:
    listening, driving = SkillFactory(code="listening"), SkillFactory(code="driving")
    watching = ActivityCategoryFactory(code="watching-over")
    response = patch(
        client_for(resident),
        {
            "display_name": "たなか まさる",
            "birth_date": "1954-01-02",
            "school_district": other_school_district.code,
            "skills": ["listening", "driving"],
            "interests": ["watching-over"],
            "weekly_availability": [
                {"weekday": 3, "start": "09:00", "end": "12:00"},
                {"weekday": 1, "start": "09:00", "end": "12:00"},
            ],
            "languages": ["en", "ja", "en"],
            "notification_preferences": {"email": False, "push": True},
            "consents": [{"document": "data_sharing", "version": "2025-04"}],
        },
    )
    assert response.status_code == 200, response.json()
    resident.refresh_from_db()
    assert resident.display_name == "たなか まさる"
    assert str(resident.birth_date) == "1954-01-02"
    assert resident.school_district == other_school_district
    assert set(resident.skills.all()) == {listening, driving}
    assert list(resident.interests.all()) == [watching]
    assert resident.weekly_availability == [
        {"weekday": 1, "start": "09:00", "end": "12:00"},
        {"weekday": 3, "start": "09:00", "end": "12:00"},
    ]
    assert resident.languages == ["ja", "en"]
    assert resident.notification_preferences == {"email": False, "push": True}
    assert ("data_sharing", "2025-04") in set(resident.consents.values_list("document", "version"))
    assert {"document": "data_sharing", "version": "2025-04"}.items() <= next(
        c for c in response.json()["consents"] if c["document"] == "data_sharing"
    ).items()


def test_consenting_twice_to_one_version_keeps_the_first_time(client_for: Any, resident: User) -> None:
    client = client_for(resident)
    patch(client, {"consents": [{"document": "data_sharing", "version": "2025-04"}]})
    first = Consent.objects.get(user=resident, document="data_sharing").consented_at
    patch(client, {"consents": [{"document": "data_sharing", "version": "2025-04"}]})
    again = Consent.objects.filter(user=resident, document="data_sharing")
    assert list(again.values_list("consented_at", flat=True)) == [first]


def test_a_partial_patch_leaves_the_rest_alone(client_for: Any, resident: User) -> None:
    before = _state(resident)
    assert patch(client_for(resident), {"display_name": "まさる"}).status_code == 200
    after = _state(resident)
    assert after.pop("display_name") == "まさる"
    before.pop("display_name")
    assert after == before


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"birth_date": "1950-02-30"}, "birth_date", "invalid"),
        ({"birth_date": "2999-01-01"}, "birth_date", "birth_date_in_future"),
        ({"school_district": "nowhere"}, "school_district", "does_not_exist"),
        ({"skills": ["no-such-skill"]}, "skills", "does_not_exist"),
        ({"languages": ["klingon"]}, "languages.0", "invalid_choice"),
        ({"languages": "ja"}, "languages", "not_a_list"),
        ({"languages": [["ja"]]}, "languages.0", "invalid_choice"),
        ({"languages": [None]}, "languages.0", "null"),
        (
            {"weekly_availability": {"weekday": 1, "start": "09:00", "end": "12:00"}},
            "weekly_availability",
            "not_a_list",
        ),
        ({"weekly_availability": ["tuesday mornings"]}, "weekly_availability.0", "invalid"),
        (
            {"weekly_availability": [{"weekday": "tuesday", "start": "09:00", "end": "12:00"}]},
            "weekly_availability.0.weekday",
            "invalid",
        ),
        (
            {"weekly_availability": [{"weekday": 1, "start": "9 o'clock", "end": "12:00"}]},
            "weekly_availability.0.start",
            "invalid",
        ),
        ({"weekly_availability": [{"weekday": 1}]}, "weekly_availability.0.start", "required"),
        (
            {"weekly_availability": [{"weekday": 7, "start": "09:00", "end": "12:00"}]},
            "weekly_availability.0.weekday",
            "max_value",
        ),
        (
            {"weekly_availability": [{"weekday": 1, "start": "12:00", "end": "09:00"}]},
            "weekly_availability.0",
            "end_before_start",
        ),
        (
            {
                "weekly_availability": [
                    {"weekday": 1, "start": "09:00", "end": "12:00"},
                    {"weekday": 1, "start": "11:00", "end": "13:00"},
                ]
            },
            "weekly_availability",
            "overlap",
        ),
        ({"consents": [{"document": "terms"}]}, "consents.0.version", "required"),
        ({"email": "someone-else@example.com"}, "email", "read_only_field"),
        ({"is_staff": True}, "is_staff", "read_only_field"),
        ({"roles": ["coordinator"]}, "roles", "read_only_field"),
        ({"id": 999}, "id", "read_only_field"),
    ],
)
def test_bad_patches_are_400_with_field_errors_and_change_nothing(
    client_for: Any, resident: User, body: dict[str, Any], field: str, code: str
) -> None:
    before = _state(resident)
    response = patch(client_for(resident), {"display_name": "変わらない", **body})
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid_input"
    assert payload["message"] == "入力内容に誤りがあります。"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["errors"]
    ]
    assert _state(resident) == before
    assert not StaffRole.objects.filter(user=resident).exists()


def test_field_errors_come_in_english_on_request(client_for: Any, resident: User) -> None:
    response = patch(
        client_for(resident), {"school_district": "nowhere", "is_superuser": True}, language="en"
    )
    assert response.json()["message"] == "The input is not valid."
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "is_superuser": "This field cannot be changed here.",
        "school_district": "Unknown school district.",
    }


def test_unknown_school_district_message_in_japanese(client_for: Any, resident: User) -> None:
    response = patch(client_for(resident), {"school_district": "nowhere"})
    assert response.json()["errors"] == [
        {"field": "school_district", "code": "does_not_exist", "message": "存在しない校区です。"}
    ]


def test_a_malformed_body_is_a_clear_400(client_for: Any, resident: User) -> None:
    response = client_for(resident).patch("/api/v1/me/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_roles_show_staff_and_organisation_membership(
    client_for: Any, coordinator: User, organiser: User
) -> None:
    assert client_for(coordinator).get("/api/v1/me/").json()["roles"] == ["resident", "coordinator"]
    assert client_for(organiser).get("/api/v1/me/").json()["roles"] == ["resident", "organisation_staff"]
