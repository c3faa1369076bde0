"""Offers and needs through the API: own posts only, open posts only, bad input refused."""

import datetime as dt
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from matching.models import MatchingRequest, Need, Offer
from plan_registry.models import Area
from tests.factories import NeedFactory, OfferFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone()).isoformat()


def need_body(district: Area, **extra: Any) -> dict[str, Any]:
    return {
        "title": "放課後クラブへの付き添い",
        "category": "listening",
        "school_district": district.code,
        "address": "熊本市東区若葉1-2-3",
        "windows": [
            {"starts_at": at(7, 15), "ends_at": at(7, 16)},
            {"starts_at": at(14, 15), "ends_at": at(14, 16)},
        ],
        **extra,
    }


def test_a_resident_posts_an_offer_with_their_profile_defaults(
    client_for: Any, resident: User, catalogue: None
) -> None:
    resident.weekly_availability = [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    resident.save()
    response = client_for(resident).post(
        "/api/v1/offers/",
        {
            "categories": ["listening", "watching-over"],
            "skills": ["listening"],
            "reach": "neighbours",
            "max_per_week": 2,
            "valid_until": str(timezone.localdate() + dt.timedelta(days=60)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["school_district"] == "chuo-01"
    assert body["weekly_availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    assert sorted(body["categories"]) == ["listening", "watching-over"]
    assert MatchingRequest.objects.get().object_id == body["id"]


def test_a_resident_posts_a_need_and_it_awaits_matching(
    client_for: Any, other_resident: User, school_district: Area, catalogue: None
) -> None:
    response = client_for(other_resident).post("/api/v1/needs/", need_body(school_district), format="json")
    assert response.status_code == 201, response.json()
    need = Need.objects.get()
    assert (need.requester, need.status, need.headcount, need.windows.count()) == (
        other_resident,
        "open",
        1,
        2,
    )
    assert need.valid_until == timezone.localdate() + dt.timedelta(days=14)
    request = MatchingRequest.objects.get()
    assert (request.kind, request.object_id, request.processed_at) == ("need", need.pk, None)


def test_lists_show_only_ones_own_posts(
    client_for: Any, resident: User, other_resident: User, catalogue: None
) -> None:
    mine, theirs = NeedFactory(requester=resident), NeedFactory(requester=other_resident)
    OfferFactory(person=other_resident)
    needs = client_for(resident).get("/api/v1/needs/").json()["results"]
    assert [n["id"] for n in needs] == [mine.pk]
    assert client_for(resident).get("/api/v1/offers/").json()["results"] == []
    assert client_for(resident).get(f"/api/v1/needs/{theirs.pk}/").status_code == 404


def test_organisation_staff_post_for_their_organisation(
    client_for: Any, organiser: User, school_district: Area, catalogue: None
) -> None:
    organisation = organiser.memberships.get().organisation
    response = client_for(organiser).post(
        "/api/v1/needs/",
        need_body(school_district, organisation=organisation.pk, headcount=12),
        format="json",
    )
    assert response.status_code == 201
    assert Need.objects.get().organisation == organisation


def test_a_resident_cannot_post_for_an_organisation(
    client_for: Any, resident: User, organiser: User, school_district: Area, catalogue: None
) -> None:
    organisation = organiser.memberships.get().organisation
    response = client_for(resident).post(
        "/api/v1/needs/", need_body(school_district, organisation=organisation.pk), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_organisation_staff"
    assert not Need.objects.exists()
    assert not MatchingRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"windows": [{"starts_at": at(-1, 9), "ends_at": at(-1, 10)}]}, "windows.0", "in_past"),
        ({"windows": [{"starts_at": at(3, 11), "ends_at": at(3, 10)}]}, "windows.0", "end_before_start"),
        ({"windows": []}, "windows", "empty"),
        ({"headcount": 0}, "headcount", "min_value"),
        ({"headcount": 51}, "headcount", "max_value"),
        ({"category": "no-such-category"}, "category", "does_not_exist"),
        ({"school_district": "nowhere"}, "school_district", "does_not_exist"),
        ({"min_age": 70, "max_age": 65}, "max_age", "age_range"),
        ({"required_languages": ["xx"]}, "required_languages.0", "invalid_choice"),
        ({"required_languages": "en"}, "required_languages", "not_a_list"),
        ({"required_languages": [{"code": "en"}]}, "required_languages.0", "invalid_choice"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_written(
    client_for: Any,
    resident: User,
    school_district: Area,
    catalogue: None,
    change: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = client_for(resident).post(
        "/api/v1/needs/", need_body(school_district, **change), format="json"
    )
    assert response.status_code == 400
    errors = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert (field, code) in errors
    assert not Need.objects.exists()
    assert not MatchingRequest.objects.exists()


def test_an_offer_without_a_category_or_with_a_past_date_is_refused(
    client_for: Any, resident: User, catalogue: None
) -> None:
    response = client_for(resident).post(
        "/api/v1/offers/",
        {"categories": [], "valid_until": str(timezone.localdate() - dt.timedelta(days=1))},
        format="json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"categories", "valid_until"}
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"weekly_availability": "weekday mornings"}, "weekly_availability", "not_a_list"),
        ({"weekly_availability": [[1, "09:00", "12:00"]]}, "weekly_availability.0", "invalid"),
        (
            {"weekly_availability": [{"weekday": -1, "start": "09:00", "end": "12:00"}]},
            "weekly_availability.0.weekday",
            "min_value",
        ),
        ({"specific_dates": {"date": "2030-01-01"}}, "specific_dates", "not_a_list"),
        (
            {"specific_dates": [{"date": "next tuesday", "start": "09:00", "end": "12:00"}]},
            "specific_dates.0.date",
            "invalid",
        ),
        (
            {"specific_dates": [{"date": "2030-01-01", "start": "12:00", "end": "09:00"}]},
            "specific_dates.0",
            "end_before_start",
        ),
        (
            {"specific_dates": [{"weekday": 1, "start": "09:00", "end": "12:00"}]},
            "specific_dates.0.date",
            "required",
        ),
    ],
)
def test_offers_with_badly_shaped_times_are_refused_and_nothing_is_written(
    client_for: Any, resident: User, catalogue: None, change: dict[str, Any], field: str, code: str
) -> None:
    body = {"categories": ["listening"], "valid_until": str(timezone.localdate() + dt.timedelta(days=60))}
    response = client_for(resident).post("/api/v1/offers/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert (field, code) in [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert not Offer.objects.exists()


def test_an_offer_shows_its_times_as_they_were_given(
    client_for: Any, resident: User, catalogue: None
) -> None:
    day = str(timezone.localdate() + dt.timedelta(days=10))
    response = client_for(resident).post(
        "/api/v1/offers/",
        {
            "categories": ["listening"],
            "weekly_availability": [{"weekday": 5, "start": "13:00", "end": "16:30"}],
            "specific_dates": [{"date": day, "start": "09:00", "end": "11:00"}],
            "valid_until": str(timezone.localdate() + dt.timedelta(days=60)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    shown = client_for(resident).get(f"/api/v1/offers/{response.json()['id']}/").json()
    assert (shown["weekly_availability"], shown["specific_dates"]) == (
        [{"weekday": 5, "start": "13:00", "end": "16:30"}],
        [{"date": day, "start": "09:00", "end": "11:00"}],
    )


def test_changing_someone_elses_post_is_404_and_changes_nothing(
    client_for: Any, resident: User, other_resident: User, catalogue: None
) -> None:
    need = NeedFactory(requester=other_resident)
    offer = OfferFactory(person=other_resident)
    before = (model_to_dict(need), model_to_dict(offer))
    client = client_for(resident)
    assert client.patch(f"/api/v1/needs/{need.pk}/", {"headcount": 3}, format="json").status_code == 404
    assert client.delete(f"/api/v1/needs/{need.pk}/").status_code == 404
    assert client.patch(f"/api/v1/offers/{offer.pk}/", {"max_per_week": 5}, format="json").status_code == 404
    assert client.delete(f"/api/v1/offers/{offer.pk}/").status_code == 404
    need.refresh_from_db()
    offer.refresh_from_db()
    assert (model_to_dict(need), model_to_dict(offer)) == before


def test_an_open_need_changes_and_a_withdrawn_one_does_not(
    client_for: Any, resident: User, catalogue: None
) -> None:
    need = NeedFactory(requester=resident)
    client = client_for(resident)
    changed = client.patch(f"/api/v1/needs/{need.pk}/", {"headcount": 2, "urgency": 2}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["headcount"], changed.json()["urgency"]) == (2, 2)
    assert client.delete(f"/api/v1/needs/{need.pk}/").json()["status"] == "withdrawn"
    refused = client.patch(f"/api/v1/needs/{need.pk}/", {"headcount": 3}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "post_not_open"
    need.refresh_from_db()
    assert need.headcount == 2


def test_withdrawing_an_offer(client_for: Any, resident: User, catalogue: None) -> None:
    offer = OfferFactory(person=resident)
    response = client_for(resident).delete(f"/api/v1/offers/{offer.pk}/")
    assert response.json()["status"] == "withdrawn"
    assert client_for(resident).delete(f"/api/v1/offers/{offer.pk}/").status_code == 409
