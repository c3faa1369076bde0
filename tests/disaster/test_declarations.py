"""Declaring, renewing and ending a disaster: the headquarters of every ward named, signed in just
now, each switch recorded; a declaration nobody renews lapses by itself."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from disaster import services
from disaster.models import Disaster, DisasterDecision
from disaster.selectors import disasters_active
from plan_registry.models import Area
from tests.disaster.pages import freshly_signed_in
from tests.factories import StaffRoleFactory, UserFactory
from volunteer.models import StaffRole, User

pytestmark = pytest.mark.django_db


DECLARATION = {
    "name": "令和8年7月豪雨",
    "wards": ["chuo"],
    "reason": "大雨特別警報",
    "accepted_residence": "prefecture",
}


def test_the_headquarters_declares_and_the_app_sees_the_disaster(disaster_office: User, ward: Area) -> None:
    before = timezone.now()
    response = freshly_signed_in(disaster_office).post("/api/v1/staff/disasters/", DECLARATION, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["wards"] == ["chuo"]
    assert body["active"] is True
    assert body["accepted_residence"] == "prefecture"
    disaster = Disaster.objects.get()
    assert disaster.declared_by == disaster_office
    assert dt.timedelta(hours=72) <= disaster.lapses_at - before < dt.timedelta(hours=72, minutes=1)
    [decision] = body["decisions"]
    assert decision["action"] == "declared"
    assert decision["decided_by"] == disaster_office.pk
    assert decision["reason"] == "大雨特別警報"
    public = APIClient().get("/api/v1/disasters/").json()
    assert [item["name"] for item in public] == ["令和8年7月豪雨"]


@pytest.mark.parametrize("who", ["coordinator", "office_elsewhere", "resident"])
def test_nobody_else_declares_and_nothing_changes(
    who: str, coordinator: User, resident: User, other_ward: Area, ward: Area
) -> None:
    people = {"coordinator": coordinator, "resident": resident}
    if who == "office_elsewhere":
        people[who] = UserFactory(email="hq-kita@example.com")
        StaffRoleFactory(user=people[who], role=StaffRole.Role.DISASTER_OFFICE, areas=[other_ward])
    response = freshly_signed_in(people[who]).post("/api/v1/staff/disasters/", DECLARATION, format="json")

    assert response.status_code == 403
    assert response.json()["code"] in {"not_disaster_office", "permission_denied"}
    assert not Disaster.objects.exists()
    assert not DisasterDecision.objects.exists()


def test_a_declaration_needs_a_sign_in_just_now(
    client_for: Callable[[User], APIClient], disaster_office: User, ward: Area, settings: Any
) -> None:
    stale = client_for(disaster_office).post("/api/v1/staff/disasters/", DECLARATION, format="json")
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    expired = freshly_signed_in(disaster_office).post("/api/v1/staff/disasters/", DECLARATION, format="json")

    for response in (stale, expired):
        assert response.status_code == 403
        assert response.json()["code"] == "reauthentication_required"
    assert not Disaster.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"wards": ["nowhere"]}, "wards_required"),
        ({"wards": []}, "wards"),
        ({"reason": "  "}, "reason"),
        ({"name": "a" * 201}, "name"),
        ({"name": "豪雨\u202e"}, "hidden_characters"),
    ],
)
def test_a_bad_declaration_is_refused_and_nothing_changes(
    change: dict[str, Any], field: str, disaster_office: User, ward: Area
) -> None:
    response = freshly_signed_in(disaster_office).post(
        "/api/v1/staff/disasters/", {**DECLARATION, **change}, format="json"
    )

    assert response.status_code == 400
    assert field in response.content.decode()
    assert not Disaster.objects.exists()


def test_renewal_moves_the_lapse_and_the_end_switches_the_mode_off(
    disaster: Disaster, disaster_office: User
) -> None:
    client = freshly_signed_in(disaster_office)
    renewed = client.post(
        f"/api/v1/staff/disasters/{disaster.pk}/renew/", {"reason": "余震が続く"}, format="json"
    )
    assert renewed.status_code == 200, renewed.content
    disaster.refresh_from_db()
    assert disaster.lapses_at > timezone.now() + dt.timedelta(hours=71)

    ended = client.post(
        f"/api/v1/staff/disasters/{disaster.pk}/end/", {"reason": "避難指示解除"}, format="json"
    )
    assert ended.status_code == 200
    assert ended.json()["active"] is False
    assert [d["action"] for d in ended.json()["decisions"]] == ["renewed", "ended"]
    assert not disasters_active().exists()
    again = client.post(f"/api/v1/staff/disasters/{disaster.pk}/renew/", {"reason": "再開"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "disaster_not_active"
    assert disaster.decisions.count() == 2


def test_the_special_measure_is_recorded_once_and_makes_desk_insurance_count_the_same_day(
    disaster: Disaster, disaster_office: User
) -> None:
    client = freshly_signed_in(disaster_office)
    url = f"/api/v1/staff/disasters/{disaster.pk}/special-measure/"

    without_reason = client.post(url, {"reason": " "}, format="json")
    assert without_reason.status_code == 400
    assert Disaster.objects.get(pk=disaster.pk).insurance_special_measure is False

    applied = client.post(url, {"reason": "全社協の適用通知"}, format="json")
    again = client.post(url, {"reason": "重ねて"}, format="json")

    assert applied.status_code == 200, applied.content
    assert applied.json()["insurance_special_measure"] is True
    assert again.status_code == 200
    assert [d["action"] for d in again.json()["decisions"]] == ["special_measure"]  # recorded once
    assert APIClient().get("/api/v1/disasters/").json()[0]["insurance_special_measure"] is True


def test_a_declaration_nobody_renews_lapses_by_itself_and_the_lapse_is_recorded_once(
    disaster: Disaster,
) -> None:
    lapse = disaster.lapses_at
    assert disasters_active(at=lapse - dt.timedelta(seconds=1)).filter(pk=disaster.pk).exists()
    assert not disasters_active(at=lapse).exists()  # no job needs to have run

    assert services.disasters_record_lapses(now=lapse - dt.timedelta(seconds=1)) == 0
    assert services.disasters_record_lapses(now=lapse) == 1
    assert services.disasters_record_lapses(now=lapse + dt.timedelta(hours=1)) == 0
    recorded = DisasterDecision.objects.get(disaster=disaster, action=DisasterDecision.Action.LAPSED)
    assert recorded.decided_at == lapse
    assert recorded.decided_by is None
