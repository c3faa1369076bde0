"""The staff queues of held points through the API: a coordinator narrows them by status, by
words in the reward or by fiscal year, and orders them; ties keep one order across pages."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from points.models import ConversionRequest, Redemption
from tests.factories import ConversionRequestFactory, RedemptionFactory, RewardFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def _ids(client: Any, path: str, query: dict[str, str]) -> list[int]:
    answer = client.get(path, query)
    assert answer.status_code == 200, answer.json()
    return [row["id"] for row in answer.json()["results"]]


def test_redemptions_by_status_words_and_amount(client_for: Any, coordinator: User, resident: User) -> None:
    now = timezone.now()
    bath = RedemptionFactory(person=resident, reward=RewardFactory(name="市民プール 回数券", cost=300))
    bus = RedemptionFactory(
        person=resident,
        reward=RewardFactory(name="バス回数券", cost=100),
        created_at=now - dt.timedelta(days=1),
    )
    done = RedemptionFactory(
        person=resident, reward=RewardFactory(name="図書カード", cost=500), status=Redemption.Status.APPROVED
    )
    RedemptionFactory(
        person=UserFactory(school_district=None), reward=RewardFactory(name="回数券")
    )  # not hers
    client, path = client_for(coordinator), "/api/v1/staff/redemptions/"

    assert _ids(client, path, {}) == [done.pk, bath.pk, bus.pk]  # newest first
    assert _ids(client, path, {"status": "held"}) == [bath.pk, bus.pk]
    assert _ids(client, path, {"search": "回数券"}) == [bath.pk, bus.pk]
    assert _ids(client, path, {"search": "プール 回数券"}) == [bath.pk]
    assert _ids(client, path, {"ordering": "amount"}) == [bus.pk, bath.pk, done.pk]
    assert _ids(client, path, {"ordering": "-amount"}) == [done.pk, bath.pk, bus.pk]
    assert client.get(path, {"status": "spent"}).status_code == 400


def test_conversions_by_fiscal_year_and_yen(client_for: Any, coordinator: User, resident: User) -> None:
    older = ConversionRequestFactory(person=resident, fiscal_year=2024, yen=3000)
    newer = ConversionRequestFactory(person=resident, fiscal_year=2025, yen=1000)
    decided = ConversionRequestFactory(
        person=resident, fiscal_year=2025, yen=2000, status=ConversionRequest.Status.REJECTED
    )
    client, path = client_for(coordinator), "/api/v1/staff/conversions/"

    assert _ids(client, path, {"fiscal_year": "2025"}) == [decided.pk, newer.pk]
    assert _ids(client, path, {"fiscal_year": "2025", "status": "requested"}) == [newer.pk]
    assert _ids(client, path, {"ordering": "yen"}) == [newer.pk, decided.pk, older.pk]
    refused = client.get(path, {"fiscal_year": "2025.5"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json()["errors"]] == ["fiscal_year"]
