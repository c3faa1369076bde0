"""The coordinator's queue through the API: her areas only, decisions on record."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from matching import views as matching_views
from matching.models import Match, MatchDecision
from plan_registry.models import Area
from tests.factories import ActivityCategoryFactory, MatchFactory, NeedFactory, OfferFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def here(school_district: Area) -> Match:
    return MatchFactory(need=NeedFactory(school_district=school_district, title="こちらの依頼"))


@pytest.fixture
def there(other_school_district: Area) -> Match:
    return MatchFactory(need=NeedFactory(school_district=other_school_district, title="北区の依頼"))


def test_staff_see_only_their_areas(
    client_for: Any, coordinator: User, coordinator_elsewhere: User, here: Match, there: Match
) -> None:
    assert [m["id"] for m in client_for(coordinator).get("/api/v1/staff/matches/").json()["results"]] == [
        here.pk
    ]
    assert [
        m["id"] for m in client_for(coordinator_elsewhere).get("/api/v1/staff/matches/").json()["results"]
    ] == [there.pk]
    refused = client_for(coordinator).post(f"/api/v1/staff/matches/{there.pk}/confirm/", {}, format="json")
    assert refused.status_code == 404
    there.refresh_from_db()
    assert there.status == "proposed"


def test_the_queue_filters(client_for: Any, coordinator: User, here: Match, school_district: Area) -> None:
    old = MatchFactory(
        need=NeedFactory(school_district=school_district), proposed_at=timezone.now() - dt.timedelta(hours=30)
    )
    client = client_for(coordinator)
    ids = lambda query: [m["id"] for m in client.get(f"/api/v1/staff/matches/?{query}").json()["results"]]  # noqa: E731
    assert ids("") == [old.pk, here.pk]  # oldest first
    assert ids("older_than_hours=24") == [old.pk]
    assert ids("status=confirmed") == []
    assert ids(f"area={school_district.code}") == [old.pk, here.pk]
    assert ids("category=listening") == [old.pk, here.pk]
    assert ids(f"category={ActivityCategoryFactory().code}") == []
    assert client.get("/api/v1/staff/matches/?status=nonsense").status_code == 400
    assert client.get("/api/v1/staff/matches/?category=no-such").status_code == 400


def test_the_queue_is_searched_by_words_and_ordered_by_cost_with_ties_stable(
    client_for: Any, coordinator: User, here: Match, school_district: Area
) -> None:
    cheap = MatchFactory(need=NeedFactory(school_district=school_district, title="買い物の付き添い"), cost=5)
    dear = MatchFactory(need=NeedFactory(school_district=school_district, note="庭の草取りも"), cost=50)
    tie = MatchFactory(need=NeedFactory(school_district=school_district), cost=50)
    client = client_for(coordinator)

    def ids(query: dict[str, str]) -> list[int]:
        answer = client.get("/api/v1/staff/matches/", query)
        assert answer.status_code == 200
        return [m["id"] for m in answer.json()["results"]]

    assert ids({"search": "付き添い"}) == [cheap.pk]
    assert ids({"search": "草取り"}) == [dear.pk]  # the need's note is read too
    assert ids({"search": school_district.name}) == [here.pk, cheap.pk, dear.pk, tie.pk]
    assert ids({"search": here.volunteer.display_name or "nobody"}) == []  # never by a person's name
    Match.objects.filter(pk=here.pk).update(cost=1)
    assert ids({"ordering": "cost"}) == [here.pk, cheap.pk, dear.pk, tie.pk]
    assert ids({"ordering": "-cost"}) == [tie.pk, dear.pk, cheap.pk, here.pk]


def test_the_queue_shows_the_reason_and_the_age(client_for: Any, coordinator: User, here: Match) -> None:
    row = client_for(coordinator).get("/api/v1/staff/matches/").json()["results"][0]
    assert row["reason"] == "同じ校区"
    assert row["need"]["title"] == "こちらの依頼"
    assert row["age_hours"] == 0


def test_confirming_twice_is_a_conflict(client_for: Any, coordinator: User, here: Match) -> None:
    client = client_for(coordinator)
    assert client.post(f"/api/v1/staff/matches/{here.pk}/confirm/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/staff/matches/{here.pk}/confirm/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "match_already_decided"
    assert MatchDecision.objects.filter(match=here, action="confirm").count() == 1


def test_rejecting_needs_a_reason(client_for: Any, coordinator: User, here: Match) -> None:
    refused = client_for(coordinator).post(f"/api/v1/staff/matches/{here.pk}/reject/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reason_required"
    here.refresh_from_db()
    assert here.status == "proposed"
    done = client_for(coordinator).post(
        f"/api/v1/staff/matches/{here.pk}/reject/", {"reason": "研修修了者が必要"}, format="json"
    )
    assert done.json()["status"] == "rejected"
    assert MatchDecision.objects.get(match=here, action="reject").reason == "研修修了者が必要"


def test_a_resident_calling_the_staff_endpoints_is_403(client_for: Any, resident: User, here: Match) -> None:
    client = client_for(resident)
    assert client.get("/api/v1/staff/matches/").status_code == 403
    assert client.post(f"/api/v1/staff/matches/{here.pk}/confirm/").status_code == 403
    assert (
        client.post(
            "/api/v1/staff/matches/",
            {"need": here.need_id, "volunteer": resident.pk, "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    here.refresh_from_db()
    assert here.status == "proposed"


def test_matching_by_hand(client_for: Any, coordinator: User, school_district: Area) -> None:
    need = NeedFactory(school_district=school_district, headcount=1)
    offer = OfferFactory(person=UserFactory(display_name="手動の協力者"), school_district=school_district)
    response = client_for(coordinator).post(
        "/api/v1/staff/matches/",
        {"need": need.pk, "volunteer": offer.person_id, "reason": "電話で依頼を受けた"},
        format="json",
    )
    assert response.status_code == 201
    match = Match.objects.get()
    assert (match.status, match.source, match.volunteer, match.offer) == (
        "confirmed",
        "manual",
        offer.person,
        offer,
    )
    assert MatchDecision.objects.get().actor == coordinator
    full = client_for(coordinator).post(
        "/api/v1/staff/matches/",
        {"need": need.pk, "volunteer": OfferFactory().person_id, "reason": "二人目"},
        format="json",
    )
    assert full.status_code == 409
    assert full.json()["code"] == "need_full"
    assert Match.objects.count() == 1


def test_matching_by_hand_someone_who_offered_nothing_needs_a_recorded_why(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    need = NeedFactory(school_district=school_district)
    anyone = UserFactory()
    body = {"need": need.pk, "volunteer": anyone.pk, "reason": "近所の方"}

    refused = client_for(coordinator).post("/api/v1/staff/matches/", body, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "volunteer_has_no_offer")
    assert not Match.objects.exists()

    why = {**body, "without_offer_reason": "窓口で本人から協力の申し出（紙の申込書）"}
    made = client_for(coordinator).post("/api/v1/staff/matches/", why, format="json")
    assert made.status_code == 201
    match = Match.objects.get()
    assert match.offer is None
    assert "窓口で本人から協力の申し出（紙の申込書）" in match.decisions.get().reason


def test_matching_by_hand_refuses_the_requester_and_other_areas(
    client_for: Any, coordinator: User, school_district: Area, other_school_district: Area
) -> None:
    need = NeedFactory(school_district=school_district)
    own = client_for(coordinator).post(
        "/api/v1/staff/matches/",
        {"need": need.pk, "volunteer": need.requester_id, "reason": "x"},
        format="json",
    )
    assert own.json()["code"] == "volunteer_is_requester"
    elsewhere = NeedFactory(school_district=other_school_district)
    assert (
        client_for(coordinator)
        .post(
            "/api/v1/staff/matches/",
            {"need": elsewhere.pk, "volunteer": UserFactory().pk, "reason": "x"},
            format="json",
        )
        .status_code
        == 404
    )
    assert not Match.objects.exists()


def test_matching_by_hand_refuses_a_busy_volunteer(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    busy = MatchFactory(need=NeedFactory(school_district=school_district), status="confirmed")
    same_time = NeedFactory(school_district=school_district)
    response = client_for(coordinator).post(
        "/api/v1/staff/matches/",
        {"need": same_time.pk, "volunteer": busy.volunteer_id, "reason": "x"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "volunteer_busy"
    assert Match.objects.count() == 1


def test_the_queue_page_pages_rather_than_cutting_off(
    client: Client, coordinator: User, school_district: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching_views, "PAGE_SIZE", 2)
    titles = {MatchFactory(need=NeedFactory(school_district=school_district)).need.title for _ in range(3)}
    client.force_login(coordinator)

    first = client.get("/staff/queue/")
    second = client.get("/staff/queue/", {"page": 2})

    shown = [m.need.title for m in first.context["matches"]] + [
        m.need.title for m in second.context["matches"]
    ]
    assert first.context["page"].paginator.count == 3
    assert sorted(shown) == sorted(titles)
    assert "3件" in first.content.decode()
    assert "page=2" in first.content.decode()
