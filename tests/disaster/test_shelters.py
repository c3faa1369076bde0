"""Shelter reception: one scan of the household head's shelter code takes the household in; staff
enter people without phones; a device's reception id makes every upload of a scan one reception;
check-out and transfer; live headcounts equal the rows behind them."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from disaster import errors, services
from disaster.models import Disaster, Evacuee, Household, Shelter, ShelterStay
from plan_registry.models import Area
from tests.factories import ShelterFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db

Client = Callable[[User], APIClient]


def _code(person: User, at: dt.datetime | None = None) -> str:
    return services.shelter_code_make(person=person, at=at)[0]


def _scan(person: User, **fields: Any) -> dict[str, Any]:
    return {
        "reception_id": str(uuid.uuid4()),
        "scanned_at": timezone.now().isoformat(),
        "stay_type": "shelter",
        "code": _code(person),
        **fields,
    }


def _receive(client: APIClient, shelter: Shelter, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/staff/shelters/{shelter.pk}/receptions/", body, format="json")


def _rows() -> tuple[int, int]:
    return ShelterStay.objects.count(), Evacuee.objects.count()


def test_one_scan_takes_the_household_in(
    client_for: Client, shelter_staff: User, shelter: Shelter, household: Household, resident: User
) -> None:
    code = client_for(resident).get("/api/v1/me/shelter-code/").json()["code"]
    response = _receive(client_for(shelter_staff), shelter, _scan(resident, code=code))

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(p["name"], p["age_group"]) for p in body["people"]] == [
        ("田中 勝", "adult"),
        ("田中 陽子", "adult"),
        ("田中 翔", "infant"),
    ]
    assert body["method"] == "app_code"
    assert body["shelter"] == shelter.pk
    stay = ShelterStay.objects.get()
    assert stay.household == household
    assert stay.received_by == shelter_staff


def test_the_same_reception_again_answers_the_first_and_stores_nothing_new(
    client_for: Client, shelter_staff: User, shelter: Shelter, household: Household, resident: User
) -> None:
    client, body = client_for(shelter_staff), _scan(resident)
    first = _receive(client, shelter, body)
    again = _receive(client, shelter, body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert _rows() == (1, 3)


def test_a_second_reception_of_the_household_is_refused_and_changes_nothing(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    other_shelter: Shelter,
    household: Household,
    resident: User,
) -> None:
    client = client_for(shelter_staff)
    assert _receive(client, shelter, _scan(resident)).status_code == 201
    for where in (shelter, other_shelter):
        refused = _receive(client, where, _scan(resident))
        assert refused.status_code == 409
        assert refused.json()["code"] == "household_already_received"
    assert _rows() == (1, 3)


def test_a_reception_id_used_for_something_else_is_refused(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    other_shelter: Shelter,
    household: Household,
    resident: User,
) -> None:
    client, body = client_for(shelter_staff), _scan(resident)
    assert _receive(client, shelter, body).status_code == 201
    refused = _receive(client, other_shelter, body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "reception_id_reused"
    assert _rows() == (1, 3)


def test_members_present_and_staff_entry(
    client_for: Client, shelter_staff: User, shelter: Shelter, household: Household, resident: User
) -> None:
    client = client_for(shelter_staff)
    child = household.members.get(name="田中 翔")
    some = _receive(client, shelter, _scan(resident, members=[child.pk], stay_type="car"))
    entered = _receive(
        client,
        shelter,
        {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": timezone.now().isoformat(),
            "stay_type": "shelter",
            "people": [{"name": "高木 トメ", "age_group": "elder"}],
        },
    )

    assert [p["name"] for p in some.json()["people"]] == ["田中 勝", "田中 翔"]
    assert entered.status_code == 201
    assert entered.json()["method"] == "staff_entry"
    assert ShelterStay.objects.get(reception_id=entered.json()["reception_id"]).household is None
    assert _rows() == (2, 3)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"code": "v1.r.1.2.abc.forged"}, 400, "shelter_pass_invalid"),
        ({"members": [999999]}, 400, "member_not_in_household"),
        ({"scanned_at": "2099-01-01T00:00:00+09:00"}, 400, "scan_time_invalid"),
        ({"stay_type": "tent"}, 400, "invalid_input"),
        ({"reception_id": "not-a-uuid"}, 400, "invalid_input"),
        ({"people": [{"name": "x", "age_group": "adult"}]}, 400, "invalid_input"),
        ({"members": list(range(1, 40))}, 400, "invalid_input"),
    ],
)
def test_bad_receptions_are_refused_and_change_nothing(
    change: dict[str, Any],
    status: int,
    code: str,
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    household: Household,
    resident: User,
) -> None:
    response = _receive(client_for(shelter_staff), shelter, _scan(resident, **change))

    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert _rows() == (0, 0)


def test_an_offline_scan_counts_if_the_code_was_valid_when_scanned(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    household: Household,
    resident: User,
    settings: Any,
) -> None:
    settings.SHELTER_CODE_LIFETIME_HOURS = 1
    scanned_at = timezone.now() - dt.timedelta(minutes=50)
    code = _code(resident, at=scanned_at - dt.timedelta(minutes=15))  # expired 5 minutes ago
    late = _scan(resident, code=code, scanned_at=scanned_at.isoformat())
    stale = _scan(resident, code=code)  # scanned now, after it expired

    assert _receive(client_for(shelter_staff), shelter, stale).json()["code"] == "shelter_pass_expired"
    assert _receive(client_for(shelter_staff), shelter, late).status_code == 201


def test_no_reception_at_a_closed_shelter_outside_the_disaster_or_after_it_ends(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    disaster: Disaster,
    household: Household,
    resident: User,
    other_school_district: Area,
) -> None:
    client = client_for(shelter_staff)
    closed = ShelterFactory(school_district=shelter.school_district)
    assert _receive(client, closed, _scan(resident)).json()["code"] == "shelter_closed"
    outside = ShelterFactory(school_district=other_school_district)
    opening = client_for(shelter_staff).post(
        f"/api/v1/staff/shelters/{outside.pk}/open/", {"disaster": disaster.pk}, format="json"
    )
    assert opening.status_code == 404  # not this staff's area
    with pytest.raises(errors.ShelterOutsideDisaster):
        services.shelter_open(shelter=outside, disaster=disaster, staff=UserFactory(is_superuser=True))
    outside.refresh_from_db()
    assert outside.status == Shelter.Status.CLOSED

    Disaster.objects.filter(pk=disaster.pk).update(ended_at=timezone.now())
    response = _receive(client, shelter, _scan(resident))
    assert response.status_code == 409
    assert response.json()["code"] == "disaster_not_active"
    assert _rows() == (0, 0)


def test_staff_of_another_area_cannot_receive(
    client_for: Client, shelter_staff_elsewhere: User, resident: User, shelter: Shelter, household: Household
) -> None:
    response = _receive(client_for(shelter_staff_elsewhere), shelter, _scan(resident))
    assert response.status_code == 404
    forbidden = _receive(client_for(resident), shelter, _scan(resident))
    assert forbidden.status_code == 403
    assert _rows() == (0, 0)


def test_an_offline_batch_replayed_twice_stores_each_reception_once(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    household: Household,
    resident: User,
    other_resident: User,
) -> None:
    client = client_for(shelter_staff)
    receptions = [
        _scan(resident),
        _scan(other_resident, stay_type="home"),
        _scan(resident),  # the same household again, from a second device
        {**_scan(resident), "code": "v1.r.1.2.abc.forged"},
    ]
    url = f"/api/v1/staff/shelters/{shelter.pk}/receptions/batch/"
    first = client.post(url, {"receptions": receptions}, format="json")
    second = client.post(url, {"receptions": receptions}, format="json")

    assert first.status_code == second.status_code == 200
    assert [item["result"] for item in first.json()] == ["new", "new", "refused", "refused"]
    assert [item["code"] for item in first.json()][2:] == [
        "household_already_received",
        "shelter_pass_invalid",
    ]
    assert [item["result"] for item in second.json()] == ["known", "known", "refused", "refused"]
    assert _rows() == (2, 4)


def test_check_out_and_transfer(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    other_shelter: Shelter,
    household: Household,
    resident: User,
) -> None:
    client = client_for(shelter_staff)
    stay = _receive(client, shelter, _scan(resident)).json()
    move = {"shelter": other_shelter.pk, "reception_id": str(uuid.uuid4())}
    url = f"/api/v1/staff/shelter-stays/{stay['reception_id']}/transfer/"
    moved = client.post(url, move, format="json")
    repeated = client.post(url, move, format="json")

    assert (moved.status_code, repeated.status_code) == (201, 200)
    assert moved.json()["shelter"] == other_shelter.pk
    assert len(moved.json()["people"]) == 3
    old = ShelterStay.objects.get(reception_id=stay["reception_id"])
    assert old.left_at is not None
    assert str(old.transferred_to.reception_id) == move["reception_id"]
    again = client.post(url, {**move, "reception_id": str(uuid.uuid4())}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "stay_already_left"

    left = client.post(f"/api/v1/staff/shelter-stays/{move['reception_id']}/leave/", format="json")
    assert left.status_code == 200
    assert left.json()["left_at"] is not None
    assert not ShelterStay.objects.filter(left_at__isnull=True).exists()
    # Once the household has left, a new reception is welcome.
    assert _receive(client, shelter, _scan(resident)).status_code == 201


def test_headcounts_equal_the_rows_and_a_shelter_closes_only_when_empty(
    client_for: Client,
    shelter_staff: User,
    shelter: Shelter,
    other_shelter: Shelter,
    household: Household,
    resident: User,
    other_resident: User,
) -> None:
    client = client_for(shelter_staff)
    _receive(client, shelter, _scan(resident))
    car = _receive(client, other_shelter, _scan(other_resident, stay_type="car")).json()

    counts = client.get("/api/v1/staff/shelters/headcounts/").json()
    by_shelter = {row["id"]: row["count"] for row in counts["shelters"]}
    assert by_shelter[shelter.pk]["people"] == 3
    assert by_shelter[shelter.pk]["households"] == 1
    assert by_shelter[other_shelter.pk]["by_stay_type"] == {"shelter": 0, "car": 1, "home": 0}
    assert counts["city"]["people"] == Evacuee.objects.filter(stay__left_at__isnull=True).count() == 4
    assert counts["city"]["by_age_group"] == {"adult": 3, "infant": 1}

    refused = client.post(f"/api/v1/staff/shelters/{other_shelter.pk}/close/", format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "shelter_still_occupied"
    client.post(f"/api/v1/staff/shelter-stays/{car['reception_id']}/leave/", format="json")
    closed = client.post(f"/api/v1/staff/shelters/{other_shelter.pk}/close/", format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    public = APIClient().get("/api/v1/public/shelters/").json()
    assert [row["name"] for row in public] == [shelter.name]


def test_my_household_is_kept_and_given_back(client_for: Client, resident: User) -> None:
    client = client_for(resident)
    body = {
        "members": [{"name": "田中 陽子", "age_group": "adult"}, {"name": "田中 翔", "age_group": "infant"}]
    }
    put = client.put("/api/v1/me/household/", body, format="json")
    got = client.get("/api/v1/me/household/")

    assert put.status_code == got.status_code == 200
    assert [(m["name"], m["age_group"]) for m in got.json()["members"]] == [
        ("田中 陽子", "adult"),
        ("田中 翔", "infant"),
    ]
    bad = client.put(
        "/api/v1/me/household/", {"members": [{"name": "", "age_group": "adult"}]}, format="json"
    )
    assert bad.status_code == 400
    assert Household.objects.get(head=resident).members.count() == 2
