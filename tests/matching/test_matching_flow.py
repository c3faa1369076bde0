"""The whole loop through the API: an offer and a need become a proposal with a reason, the
coordinator confirms, both are told, the volunteer accepts and the activity is scheduled."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Activity, Participation
from matching.models import AddressRelease, Match, MatchDecision, MatchingRequest, Need
from plan_registry.models import Area
from tests.factories import NeedFactory, OfferFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def next_weekday(weekday: int, hour: int) -> dt.datetime:
    today = timezone.localdate()
    days = (weekday - today.weekday()) % 7 or 7
    return dt.datetime.combine(
        today + dt.timedelta(days=days), dt.time(hour), tzinfo=timezone.get_current_timezone()
    )


def post_offer(client: Any, **extra: Any) -> Any:
    body = {
        "categories": ["listening"],
        "skills": ["listening"],
        "reach": "neighbours",
        "max_per_week": 2,
        "weekly_availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
        "valid_until": str(timezone.localdate() + dt.timedelta(days=90)),
        **extra,
    }
    return client.post("/api/v1/offers/", body, format="json")


def post_need(client: Any, district: Area, **extra: Any) -> Any:
    start = next_weekday(1, 10)
    body = {
        "title": "ふれあいサロンの話し相手",
        "category": "listening",
        "school_district": district.code,
        "address": "熊本市中央区桜町3-10 公民館",
        "preferred_skills": ["listening"],
        "windows": [{"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=1)).isoformat()}],
        **extra,
    }
    return client.post("/api/v1/needs/", body, format="json")


@pytest.fixture
def posted(
    client_for: Any,
    resident: User,
    other_resident: User,
    school_district: Area,
    catalogue: None,
    django_capture_on_commit_callbacks: Any,
) -> Match:
    with django_capture_on_commit_callbacks(execute=True):
        assert post_offer(client_for(resident)).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert post_need(client_for(other_resident), school_district).status_code == 201
    return Match.objects.get()


def test_an_offer_and_a_need_become_a_proposal_with_a_reason(posted: Match, resident: User) -> None:
    assert (posted.volunteer, posted.status, posted.source) == (resident, "proposed", "engine")
    assert posted.reason == "同じ校区・火曜午前が空いている・「傾聴」の経験・初参加"
    assert MatchingRequest.objects.filter(processed_at__isnull=True).count() == 0
    assert list(posted.decisions.values_list("action", flat=True)) == ["propose"]


def test_the_address_stays_hidden_until_staff_confirm_and_the_volunteer_accepts(
    posted: Match,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def address_seen() -> Any:
        return client_for(resident).get("/api/v1/matches/").json()["results"][0]["need"]["address"]

    as_requester = client_for(other_resident).get("/api/v1/matches/").json()["results"][0]
    assert (as_requester["role"], as_requester["volunteer_name"]) == ("requester", None)
    assert address_seen() is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json"
        )
    assert response.status_code == 200
    assert address_seen() is None  # confirmed by staff, not yet accepted
    assert not AddressRelease.objects.exists()
    as_requester = client_for(other_resident).get("/api/v1/matches/").json()["results"][0]
    assert as_requester["volunteer_name"] == "田中 勝"

    with django_capture_on_commit_callbacks(execute=True):
        client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/", {}, format="json")
    assert address_seen() == "熊本市中央区桜町3-10 公民館"
    assert address_seen() == "熊本市中央区桜町3-10 公民館"
    release = AddressRelease.objects.get()  # recorded once: who, when, which need
    assert (release.person, release.need, release.match) == (resident, posted.need, posted)
    assert client_for(other_resident).get("/api/v1/matches/").json()["results"][0]["need"]["address"] is None


def test_a_match_made_by_hand_shows_no_address_until_the_volunteer_accepts(
    client_for: Any, resident: User, coordinator: User, school_district: Area, catalogue: None
) -> None:
    need = NeedFactory(school_district=school_district, address="熊本市中央区手取本町1-1")
    made = client_for(coordinator).post(
        "/api/v1/staff/matches/",
        {
            "need": need.pk,
            "volunteer": resident.pk,
            "reason": "電話",
            "without_offer_reason": "電話で本人が希望",
        },
        format="json",
    )
    assert made.status_code == 201

    assert client_for(resident).get("/api/v1/matches/").json()["results"][0]["need"]["address"] is None
    assert not AddressRelease.objects.exists()


def test_confirm_notifies_both_and_accept_schedules_the_activity(
    posted: Match,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json")
    kinds = sorted(resident.notifications.values_list("kind", flat=True))
    assert kinds == ["match_confirmed", "match_proposed"]
    assert list(other_resident.notifications.values_list("kind", flat=True)) == ["match_confirmed"]
    assert {tuple(m.to) for m in mail.outbox} >= {("resident@example.com",), ("other@example.com",)}

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/", {}, format="json")
    assert accepted.json()["status"] == "scheduled"
    participation = Participation.objects.get()
    assert (participation.person, participation.status) == (resident, "registered")
    activity = participation.activity
    need = posted.need
    assert (activity.kind, activity.title, activity.starts_at) == (
        "one_off",
        need.title,
        need.windows.get().starts_at,
    )
    assert Need.objects.get().status == "filled"
    assert "match_scheduled" in set(other_resident.notifications.values_list("kind", flat=True))
    # Accepting again changes nothing.
    client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/", {}, format="json")
    assert (Participation.objects.count(), Activity.objects.count()) == (1, 1)


def test_the_inbox_gives_each_match_notification_the_match_and_the_need(
    posted: Match,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/", {}, format="json")

    def inbox(person: User) -> list[tuple[str, dict[str, int]]]:
        listed = client_for(person).get("/api/v1/notifications/").json()["results"]
        return sorted((n["kind"], n["data"]) for n in listed)  # (kinds differ within an inbox)

    ids = {"match_id": posted.pk, "need_id": posted.need_id}
    assert inbox(resident) == [("match_confirmed", ids), ("match_proposed", ids), ("match_scheduled", ids)]
    assert inbox(other_resident) == [("match_confirmed", ids), ("match_scheduled", ids)]


def test_both_views_of_a_match_give_the_category_and_the_district_by_code_and_name(
    posted: Match, client_for: Any, resident: User, coordinator: User, school_district: Area
) -> None:
    category = posted.need.category
    named_category = {"code": "listening", "name": "傾聴", "name_en": category.name_en}
    district = {"code": "chuo-01", "name": "桜台校区", "name_en": school_district.name_en}

    mine = client_for(resident).get("/api/v1/matches/").json()["results"][0]["need"]
    staff = client_for(coordinator).get("/api/v1/staff/matches/").json()["results"][0]

    assert (mine["category"], mine["school_district"]) == (named_category, district)
    assert (staff["need"]["category"], staff["need"]["school_district"]) == (named_category, district)
    assert staff["volunteer"] == {"id": resident.pk, "display_name": "田中 勝", "school_district": district}
    assert staff["reasons"] == ["同じ校区", "火曜午前が空いている", "「傾聴」の経験", "初参加"]


def test_accepting_first_waits_for_the_coordinator(
    posted: Match, client_for: Any, resident: User, coordinator: User
) -> None:
    assert client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/").json()["status"] == "proposed"
    assert not Participation.objects.exists()
    client_for(coordinator).post(f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json")
    posted.refresh_from_db()
    assert posted.status == "scheduled"
    assert Participation.objects.get().person == resident


def test_declining_a_confirmed_match_tells_the_requester_and_looks_again(
    posted: Match,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_for(coordinator).post(f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(resident).post(
            f"/api/v1/matches/{posted.pk}/decline/", {"reason": "体調不良"}, format="json"
        )
    assert response.json()["status"] == "declined"
    assert "match_declined" in set(other_resident.notifications.values_list("kind", flat=True))
    # The declined pairing is never proposed again.
    assert Match.objects.filter(volunteer=resident, status="proposed").count() == 0
    assert MatchingRequest.objects.filter(processed_at__isnull=True).count() == 0


def test_residents_see_only_their_own_matches(posted: Match, client_for: Any) -> None:
    stranger = UserFactory()
    assert client_for(stranger).get("/api/v1/matches/").json()["results"] == []
    assert client_for(stranger).post(f"/api/v1/matches/{posted.pk}/accept/").status_code == 404
    posted.refresh_from_db()
    assert posted.accepted_at is None


def test_the_requester_cannot_accept_for_the_volunteer(
    posted: Match, client_for: Any, other_resident: User
) -> None:
    assert client_for(other_resident).post(f"/api/v1/matches/{posted.pk}/accept/").status_code == 404
    posted.refresh_from_db()
    assert posted.accepted_at is None


def test_withdrawing_a_need_cancels_its_matches_and_participation(
    posted: Match,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_for(coordinator).post(f"/api/v1/staff/matches/{posted.pk}/confirm/", {}, format="json")
    client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(other_resident).delete(f"/api/v1/needs/{posted.need_id}/")
    posted.refresh_from_db()
    assert posted.status == "cancelled"
    assert Participation.objects.get().status == "cancelled"
    assert "match_withdrawn" in set(resident.notifications.values_list("kind", flat=True))


def test_a_need_beyond_reach_gets_no_proposal(
    client_for: Any,
    resident: User,
    other_resident: User,
    other_school_district: Area,
    catalogue: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_offer(client_for(resident), reach="same_district")
    with django_capture_on_commit_callbacks(execute=True):
        post_need(client_for(other_resident), other_school_district)
    assert not Match.objects.exists()
    assert MatchingRequest.objects.filter(processed_at__isnull=True).count() == 0


def test_a_requester_is_never_proposed_for_their_own_need(
    client_for: Any,
    resident: User,
    school_district: Area,
    catalogue: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_offer(client_for(resident))
    with django_capture_on_commit_callbacks(execute=True):
        post_need(client_for(resident), school_district)
    assert not Match.objects.exists()


def test_decisions_are_recorded(posted: Match, client_for: Any, coordinator: User, resident: User) -> None:
    client_for(coordinator).post(
        f"/api/v1/staff/matches/{posted.pk}/confirm/", {"reason": "確認済み"}, format="json"
    )
    client_for(resident).post(f"/api/v1/matches/{posted.pk}/accept/")
    rows = list(
        MatchDecision.objects.filter(match=posted)
        .order_by("pk")
        .values_list("action", "actor__email", "reason")
    )
    assert rows[0][0] == "propose"
    assert rows[1:] == [
        ("confirm", "coordinator@example.com", "確認済み"),
        ("accept", "resident@example.com", ""),
    ]


def test_an_organisation_need_with_several_places_takes_several_helpers(
    client_for: Any,
    organiser: User,
    school_district: Area,
    catalogue: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    helpers = [
        OfferFactory(school_district=school_district, person=UserFactory(email=f"h{n}@example.com"))
        for n in range(4)
    ]
    need = NeedFactory(
        requester=organiser,
        organisation=organiser.memberships.get().organisation,
        school_district=school_district,
        headcount=3,
    )
    from matching.services.runs import matching_request_enqueue, matching_request_process

    request = matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=need.pk)
    assert matching_request_process(request_id=request.pk) == 3
    assert matching_request_process(request_id=request.pk) is None  # done already: nothing more
    assert Match.objects.filter(need=need, status="proposed").count() == 3
    assert {m.volunteer_id for m in Match.objects.all()} <= {h.person_id for h in helpers}
