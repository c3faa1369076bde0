"""Events, check-in and verification through the API."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events import services
from events.api.serializers import CheckInSerializer
from events.models import Activity, CheckIn, Participation
from points.models import Account
from tests.factories import ActivityCategoryFactory, ActivityFactory, ParticipationFactory, UserFactory
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def test_events_list_with_free_places_and_filters(
    client_for: Client, resident: User, organisation: Organisation
) -> None:
    salon = ActivityFactory(
        kind=Activity.Kind.EVENT, organisation=organisation, capacity=2, title="いきいきサロン"
    )
    full = ActivityFactory(
        kind=Activity.Kind.EVENT, organisation=organisation, capacity=1, title="満員の講座"
    )
    ParticipationFactory(activity=full)
    ActivityFactory(kind=Activity.Kind.ONE_OFF)  # an individual's one-off activity is not listed

    everything = client_for(resident).get("/api/v1/events/").json()["results"]
    open_only = client_for(resident).get("/api/v1/events/", {"with_free_places": "true"}).json()["results"]

    assert {(e["title"], e["free_places"]) for e in everything} == {("いきいきサロン", 2), ("満員の講座", 0)}
    assert [e["id"] for e in open_only] == [salon.pk]
    by_category = client_for(resident).get("/api/v1/events/", {"category": salon.category.code}).json()
    assert [e["id"] for e in by_category["results"]] == [salon.pk]


def test_an_unknown_filter_value_is_a_clear_error(client_for: Client, resident: User) -> None:
    response = client_for(resident).get("/api/v1/events/", {"category": "no-such", "date_from": "soon"})

    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"category", "date_from"}


def test_the_last_place_then_the_waiting_list(
    client_for: Client, resident: User, other_resident: User, organisation: Organisation
) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)

    first = client_for(resident).post(f"/api/v1/events/{event.pk}/register/")
    again = client_for(resident).post(f"/api/v1/events/{event.pk}/register/")
    refused = client_for(other_resident).post(f"/api/v1/events/{event.pk}/register/")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert (refused.status_code, refused.json()["status"]) == (201, "waitlisted")
    assert client_for(other_resident).get(f"/api/v1/events/{event.pk}/").json()["free_places"] == 0


def test_cancelling_frees_the_place(client_for: Client, resident: User, organisation: Organisation) -> None:
    event = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=1)
    client_for(resident).post(f"/api/v1/events/{event.pk}/register/")

    assert client_for(resident).post(f"/api/v1/events/{event.pk}/cancel/").status_code == 204
    assert client_for(resident).get(f"/api/v1/events/{event.pk}/").json()["free_places"] == 1


def test_check_in_by_the_venue_code_answers_the_first_result_again(
    client_for: Client, registered: Participation, organiser: User, resident: User
) -> None:
    token = (
        client_for(organiser)
        .get(f"/api/v1/staff/events/{registered.activity_id}/checkin-token/")
        .json()["token"]
    )
    body = {"event": registered.activity_id, "token": token, "direction": "in"}

    first = client_for(resident).post("/api/v1/checkins/", body, format="json")
    second = client_for(resident).post("/api/v1/checkins/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert first.json() == CheckInSerializer(CheckIn.objects.get()).data  # the documented shape
    assert CheckIn.objects.count() == 1


def test_a_forged_code_is_a_4xx_with_a_code_and_nothing_written(
    client_for: Client, registered: Participation, resident: User
) -> None:
    body = {"event": registered.activity_id, "token": "v1.v.1.99999.AAAA", "direction": "in"}

    response = client_for(resident).post("/api/v1/checkins/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "checkin_token_invalid")
    assert response.json()["message"]  # translated text for the app to show
    assert not CheckIn.objects.exists()


def test_a_resident_cannot_get_the_venue_code_or_the_participants(
    client_for: Client, registered: Participation, other_resident: User
) -> None:
    client = client_for(other_resident)

    token = client.get(f"/api/v1/staff/events/{registered.activity_id}/checkin-token/")
    participants = client.get(f"/api/v1/staff/events/{registered.activity_id}/participants/")

    assert [(r.status_code, r.json()["code"]) for r in (token, participants)] == [
        (403, "not_event_staff")
    ] * 2


def test_staff_scan_the_residents_own_code(client_for: Client, registered: Participation, organiser: User,
                                           resident: User) -> None:  # fmt: skip
    token = client_for(resident).get("/api/v1/me/qr/").json()["token"]

    response = client_for(organiser).post(
        f"/api/v1/staff/events/{registered.activity_id}/checkins/",
        {"token": token, "direction": "in"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["person"] == resident.pk
    assert CheckIn.objects.get().method == CheckIn.Method.RESIDENT_QR


def test_manual_entry_without_a_reason_is_refused(
    client_for: Client, registered: Participation, organiser: User, resident: User
) -> None:
    url = f"/api/v1/staff/events/{registered.activity_id}/checkins/"

    refused = client_for(organiser).post(url, {"person": resident.pk, "direction": "in"}, format="json")
    accepted = client_for(organiser).post(
        url, {"person": resident.pk, "direction": "in", "reason": "スマートフォンなし"}, format="json"
    )

    assert (refused.status_code, refused.json()["code"]) == (400, "reason_required")
    assert accepted.status_code == 201


def test_bulk_verification_reports_each_participation(
    client_for: Client, registered: Participation, organiser: User, running_activity: Activity,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    absent = ParticipationFactory(activity=running_activity)
    services.checkin_manual(
        activity=running_activity,
        person=registered.person,
        staff=organiser,
        direction="in",
        reason="受付",
        at=running_activity.starts_at,
    )
    url = f"/api/v1/staff/events/{running_activity.pk}/verify/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            url, {"participations": [registered.pk, absent.pk, 999999]}, format="json"
        )

    assert response.status_code == 200
    assert [(r["participation"], r["ok"], r["code"]) for r in response.json()] == [
        (registered.pk, True, None), (absent.pk, False, "no_attendance"), (999999, False, "not_found"),
    ]  # fmt: skip
    assert Account.objects.get(owner=registered.person).balance == 100


def test_staff_create_an_event_for_their_organisation_only(
    client_for: Client, organiser: User, organisation: Organisation, school_district: Any
) -> None:
    starts = timezone.now() + dt.timedelta(days=3)
    body = {
        "organisation": organisation.pk,
        "title": "認知症サポーター養成講座",
        "category": ActivityCategoryFactory().code,
        "school_district": school_district.code,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "capacity": 30,
    }

    created = client_for(organiser).post("/api/v1/staff/events/", body, format="json")
    stranger = client_for(UserFactory()).post("/api/v1/staff/events/", body, format="json")
    backwards = client_for(organiser).post(
        "/api/v1/staff/events/", {**body, "ends_at": starts.isoformat()}, format="json"
    )

    assert created.status_code == 201
    assert created.json()["free_places"] == 30
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_event_staff")
    assert backwards.status_code == 400
    assert Activity.objects.count() == 1


def test_the_list_starts_from_now_unless_asked_for_the_past(
    client_for: Client, resident: User, organisation: Organisation
) -> None:
    past = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        starts_at=timezone.now() - dt.timedelta(days=8),
        ends_at=timezone.now() - dt.timedelta(days=8, hours=-2),
    )
    coming = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation)

    default = client_for(resident).get("/api/v1/events/").json()["results"]
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    history = client_for(resident).get("/api/v1/events/", {"date_from": since}).json()["results"]

    assert [e["id"] for e in default] == [coming.pk]
    assert [e["id"] for e in history] == [past.pk, coming.pk]


def test_events_are_found_by_words_in_their_title_organiser_or_category(
    client_for: Client, resident: User, organisation: Organisation
) -> None:
    garden = ActivityCategoryFactory(name="花壇づくり", name_en="Flower beds")
    salon = ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, title="いきいきサロン 春")
    beds = ActivityFactory(
        kind=Activity.Kind.EVENT, organisation=organisation, title="公園の手入れ", category=garden
    )
    ActivityFactory(kind=Activity.Kind.EVENT, title="秋の清掃")

    def found(words: str) -> set[int]:
        answer = client_for(resident).get("/api/v1/events/", {"search": words})
        assert answer.status_code == 200
        return {event["id"] for event in answer.json()["results"]}

    assert found("サロン") == {salon.pk}
    assert found("サロン　春") == {salon.pk}  # an ideographic space separates words too
    assert found("サロン 秋") == set()  # every word must appear
    assert found("flower") == found("花壇") == {beds.pk}
    assert found(organisation.name) == {salon.pk, beds.pk}


def test_events_ordered_by_free_places_or_latest_first_with_ties_in_a_stable_order(
    client_for: Client, resident: User
) -> None:
    soon = timezone.now() + dt.timedelta(days=1)
    roomy = ActivityFactory(kind=Activity.Kind.EVENT, capacity=9, starts_at=soon + dt.timedelta(days=2))
    tied = [ActivityFactory(kind=Activity.Kind.EVENT, capacity=3, starts_at=soon) for _ in range(2)]
    nearly_full = ActivityFactory(kind=Activity.Kind.EVENT, capacity=2, starts_at=soon + dt.timedelta(days=1))
    ParticipationFactory(activity=nearly_full)

    def ids(ordering: str) -> list[int]:
        answer = client_for(resident).get("/api/v1/events/", {"ordering": ordering})
        return [event["id"] for event in answer.json()["results"]]

    assert ids("-free_places") == [roomy.pk, tied[1].pk, tied[0].pk, nearly_full.pk]
    assert ids("free_places") == [nearly_full.pk, tied[0].pk, tied[1].pk, roomy.pk]
    assert ids("-starts_at") == [roomy.pk, nearly_full.pk, tied[1].pk, tied[0].pk]
    assert ids("starts_at") == [tied[0].pk, tied[1].pk, nearly_full.pk, roomy.pk]


def test_an_unknown_ordering_or_an_overlong_search_is_a_translated_error_in_the_json_shape(
    client_for: Client, resident: User
) -> None:
    client = client_for(resident)
    answer = client.get(
        "/api/v1/events/", {"ordering": "capacity", "search": "あ" * 101}, HTTP_ACCEPT_LANGUAGE="ja"
    )

    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid_input"
    assert {error["field"] for error in body["errors"]} == {"ordering", "search"}
    assert all(not error["message"].isascii() for error in body["errors"])
