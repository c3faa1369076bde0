"""Balances, entries and redemptions through the API, with idempotency keys."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from points.models import Account, Redemption, Scheme
from tests.factories import RewardFactory
from tests.points.conftest import Verified
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def test_balances_and_entries(
    client_for: Client, resident: User, kumamoto: Scheme, verified: Verified
) -> None:
    participation = verified(resident)

    balances = client_for(resident).get("/api/v1/points/").json()
    entries = client_for(resident).get("/api/v1/points/entries/").json()["results"]

    kumamoto_row = next(row for row in balances if row["scheme"] == "kumamoto")
    assert (kumamoto_row["balance"], kumamoto_row["unit"]) == (100, "ポイント")
    assert [(e["amount"], e["kind"], e["event"]["id"]) for e in entries] == [
        (100, "award", participation.activity_id)
    ]


def test_a_redemption_retried_with_its_key_happens_once(client_for: Client, resident: User, kumamoto: Scheme,
                                                        verified: Verified) -> None:  # fmt: skip
    verified(resident)
    reward = RewardFactory(scheme=kumamoto, cost=60)
    client = client_for(resident)

    first = client.post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    retry = client.post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Redemption.objects.count() == 1
    assert Account.objects.get(owner=resident).balance == 40


def test_the_same_key_with_another_body_is_a_conflict(client_for: Client, resident: User, kumamoto: Scheme,
                                                      verified: Verified) -> None:  # fmt: skip
    verified(resident)
    cheap, other = RewardFactory(scheme=kumamoto, cost=10), RewardFactory(scheme=kumamoto, cost=20)
    client = client_for(resident)
    client.post("/api/v1/points/redemptions/", {"reward": cheap.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post(
        "/api/v1/points/redemptions/", {"reward": other.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")
    assert Redemption.objects.count() == 1


def test_a_write_without_a_key_is_refused(client_for: Client, resident: User, kumamoto: Scheme) -> None:
    response = client_for(resident).post(
        "/api/v1/points/redemptions/", {"reward": RewardFactory(scheme=kumamoto).pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "idempotency_key_required")


def test_a_refused_redemption_leaves_the_key_free(client_for: Client, resident: User, kumamoto: Scheme,
                                                  verified: Verified) -> None:  # fmt: skip
    reward = RewardFactory(scheme=kumamoto, cost=100)
    client = client_for(resident)

    refused = client.post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    verified(resident)
    later = client.post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_balance")
    assert later.status_code == 201


def test_staff_settle_a_redemption_exactly_once(client_for: Client, resident: User, coordinator: User,
                                                kumamoto: Scheme, verified: Verified) -> None:  # fmt: skip
    verified(resident)
    reward = RewardFactory(scheme=kumamoto, cost=100)
    client_for(resident).post(
        "/api/v1/points/redemptions/", {"reward": reward.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r"
    )
    redemption = Redemption.objects.get()

    by_resident = client_for(resident).post(f"/api/v1/staff/redemptions/{redemption.pk}/approve/")
    approved = client_for(coordinator).post(f"/api/v1/staff/redemptions/{redemption.pk}/approve/")
    voided = client_for(coordinator).post(
        f"/api/v1/staff/redemptions/{redemption.pk}/void/", {"reason": "x"}, format="json"
    )

    assert by_resident.status_code == 403
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    assert approved.json()["recipient_name"] == resident.verified_identity.name  # staff hand it over to
    assert (voided.status_code, voided.json()["code"]) == (409, "already_decided")
    assert Account.objects.get(scheme=kumamoto, kind="redemption").balance == 100


def test_stamps_that_never_expire_show_nothing_expiring(
    client_for: Client, senior: User, care_host: Organisation, verified: Verified
) -> None:
    verified(senior, minutes=120, organisation=care_host)

    rows = {row["scheme"]: row for row in client_for(senior).get("/api/v1/points/").json()}

    assert (rows["care-support"]["balance"], rows["care-support"]["expiring"]) == (2, 0)
