"""Suspension of use (利用停止) and its lifting, and requests received on paper: each recorded,
with its stated effect; staff act with a reason, never on their own case."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.models import OwnCaseRefusal
from matching.models import Match
from matching.selectors import match_queue_for_staff
from plan_registry.models import Area
from tests import factories
from volunteer import services
from volunteer.models import NotificationDelivery, RightsRequest, StaffRole, User
from volunteer.selectors import people_who_may_be_matched

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> User:
    admin = factories.UserFactory(email="admin@example.com", is_staff=True)
    factories.StaffRoleFactory(user=admin, role=StaffRole.Role.ADMINISTRATOR)
    return admin


def test_a_suspension_stops_matching_notifications_and_staff_listing_until_lifted(
    client_for: Callable[[User], APIClient], resident: User, coordinator: User, school_district: Area
) -> None:
    match = factories.MatchFactory(offer__person=resident, need__school_district=school_district)
    client = client_for(resident)

    suspended = client.post("/api/v1/me/suspension/")

    assert suspended.status_code == 200
    assert suspended.json()["suspended_at"] is not None
    assert resident not in people_who_may_be_matched()
    assert match not in match_queue_for_staff(staff=coordinator)
    notification = services.notification_send(
        user=resident, kind="test", title="t", body="", dedupe_key="t:1"
    )
    services.notification_deliver(notification_id=notification.pk)
    assert {d.outcome for d in NotificationDelivery.objects.filter(notification=notification)} == {
        NotificationDelivery.Outcome.SKIPPED_SUSPENDED
    }
    assert client.post("/api/v1/me/suspension/").status_code == 200  # again: nothing more recorded

    lifted = client.delete("/api/v1/me/suspension/")

    assert lifted.json() == {"suspended_at": None}
    assert resident in people_who_may_be_matched()
    assert match in match_queue_for_staff(staff=coordinator)
    assert list(
        RightsRequest.objects.filter(person=resident).order_by("pk").values_list("kind", flat=True)
    ) == [
        "suspension",
        "suspension_lifted",
    ]


def test_a_suspended_person_cannot_post_until_they_lift_it(
    client_for: Callable[[User], APIClient], resident: User
) -> None:
    services.use_suspend(person=resident)

    response = client_for(resident).post("/api/v1/offers/", {}, format="json")

    assert response.status_code in (400, 409)
    if response.status_code == 409:
        assert response.json()["code"] == "use_suspended"


def test_staff_cannot_name_a_suspended_person_in_a_match_by_hand(
    client_for: Callable[[User], APIClient], resident: User, coordinator: User, school_district: Area
) -> None:
    need = factories.NeedFactory(school_district=school_district)
    factories.OfferFactory(person=resident, school_district=school_district)
    services.use_suspend(person=resident)

    response = client_for(coordinator).post(
        "/api/v1/staff/matches/", {"need": need.pk, "volunteer": resident.pk, "reason": "電話"}, format="json"
    )

    assert response.status_code in (400, 404)
    assert not Match.objects.filter(volunteer=resident).exists()


def test_an_administrator_acts_on_a_paper_request_with_a_reason(
    client_for: Callable[[User], APIClient], resident: User, administrator: User
) -> None:
    url = f"/api/v1/staff/people/{resident.pk}/rights-requests/"

    response = client_for(administrator).post(
        url, {"kind": "suspension", "reason": "窓口で書面を受理（受付番号 12）"}, format="json"
    )

    assert response.status_code == 201
    recorded = RightsRequest.objects.get(pk=response.json()["id"])
    assert (recorded.person, recorded.kind, recorded.handled_by) == (resident, "suspension", administrator)
    resident.refresh_from_db()
    assert resident.use_suspended_at is not None


def test_a_paper_export_hands_over_the_export_and_records_who(
    client_for: Callable[[User], APIClient], resident: User, administrator: User
) -> None:
    response = client_for(administrator).post(
        f"/api/v1/staff/people/{resident.pk}/rights-requests/",
        {"kind": "export", "reason": "郵送で請求（受付番号 3）"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["person"] == resident.pk
    assert RightsRequest.objects.get(person=resident).handled_by == administrator


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_paper_request_without_a_reason_is_refused_and_changes_nothing(
    client_for: Callable[[User], APIClient], resident: User, administrator: User, reason: str
) -> None:
    response = client_for(administrator).post(
        f"/api/v1/staff/people/{resident.pk}/rights-requests/",
        {"kind": "erasure", "reason": reason},
        format="json",
    )

    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.erased_at is None
    assert not RightsRequest.objects.exists()


def test_an_administrator_cannot_act_on_their_own_request(
    client_for: Callable[[User], APIClient], administrator: User
) -> None:
    response = client_for(administrator).post(
        f"/api/v1/staff/people/{administrator.pk}/rights-requests/",
        {"kind": "erasure", "reason": "自分で"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "own_case"
    assert OwnCaseRefusal.objects.filter(actor=administrator).exists()
    administrator.refresh_from_db()
    assert administrator.erased_at is None


def test_only_administrators_act_on_paper_requests(
    client_for: Callable[[User], APIClient], resident: User, coordinator: User
) -> None:
    response = client_for(coordinator).post(
        f"/api/v1/staff/people/{resident.pk}/rights-requests/",
        {"kind": "suspension", "reason": "窓口"},
        format="json",
    )

    assert response.status_code == 403
    assert not RightsRequest.objects.exists()
