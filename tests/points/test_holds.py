"""Redemptions and conversions: held, then settled or released exactly once."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.errors import ReasonRequired
from points import errors, services
from points.models import Account, ConversionRequest, Entry, LedgerTransaction, Redemption, Scheme
from tests.factories import RewardFactory
from tests.points.conftest import Verified
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


def ledger() -> tuple[list[Any], list[Any]]:
    return list(Account.objects.values("pk", "balance")), list(Entry.objects.values())


def test_a_redemption_holds_then_settles(
    resident: User, coordinator: User, kumamoto: Scheme, verified: Verified
) -> None:
    verified(resident)
    verified(resident)
    redemption = services.redemption_hold(person=resident, reward=RewardFactory(scheme=kumamoto, cost=150))

    assert Account.objects.get(owner=resident).balance == 50
    assert Account.objects.get(scheme=kumamoto, kind="hold").balance == 150

    services.redemption_approve(redemption=redemption, staff=coordinator)
    with pytest.raises(errors.AlreadyDecided):
        services.redemption_void(redemption=redemption, staff=coordinator, reason="取り消し")

    assert Account.objects.get(scheme=kumamoto, kind="hold").balance == 0
    assert Account.objects.get(scheme=kumamoto, kind="redemption").balance == 150
    assert Account.objects.get(owner=resident).balance == 50
    assert services.points_reconcile().ok


def test_a_voided_redemption_gives_the_points_back(resident: User, coordinator: User, kumamoto: Scheme,
                                                   verified: Verified) -> None:  # fmt: skip
    verified(resident)
    redemption = services.redemption_hold(person=resident, reward=RewardFactory(scheme=kumamoto, cost=100))

    with pytest.raises(ReasonRequired):
        services.redemption_void(redemption=redemption, staff=coordinator, reason="")
    services.redemption_void(redemption=redemption, staff=coordinator, reason="在庫切れ")

    assert Account.objects.get(owner=resident).balance == 100
    assert Redemption.objects.get().status == Redemption.Status.VOIDED


def test_a_redemption_beyond_the_balance_changes_nothing(
    resident: User, kumamoto: Scheme, verified: Verified
) -> None:
    verified(resident)
    before = ledger()

    with pytest.raises(errors.InsufficientBalance):
        services.redemption_hold(person=resident, reward=RewardFactory(scheme=kumamoto, cost=101))

    assert ledger() == before
    assert not Redemption.objects.exists()


def _in_window(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year + 1, 2, 10)


def _stamps(senior: User, care_host: Organisation, verified: Verified, days: int, fiscal_year: int) -> None:
    first = timezone.make_aware(dt.datetime(fiscal_year, 5, 1, 10, 0))
    for day in range(days):
        verified(senior, minutes=120, organisation=care_host, starts_at=first + dt.timedelta(days=day))


def test_a_years_stamps_convert_to_yen_once(senior: User, care_host: Organisation, care_support: Scheme,
                                            coordinator: User, verified: Verified) -> None:  # fmt: skip
    _stamps(senior, care_host, verified, days=8, fiscal_year=2025)  # 16 stamps: ¥1,000

    request = services.conversion_request(
        person=senior, scheme=care_support, fiscal_year=2025, today=_in_window(2025)
    )
    with pytest.raises(errors.ConversionAlreadyRequested):
        services.conversion_request(
            person=senior, scheme=care_support, fiscal_year=2025, today=_in_window(2025)
        )
    services.conversion_decide(request=request, staff=coordinator, approve=True)

    request.refresh_from_db()
    assert (request.stamps, request.yen, request.status) == (16, 1000, ConversionRequest.Status.APPROVED)
    assert Account.objects.get(owner=senior, scheme=care_support).balance == 0
    assert Account.objects.get(scheme=care_support, kind="conversion").balance == 16


@pytest.mark.parametrize("today", [dt.date(2026, 1, 31), dt.date(2026, 4, 1)])
def test_conversion_outside_the_window_is_refused(senior: User, care_host: Organisation, care_support: Scheme,
                                                  verified: Verified, today: dt.date) -> None:  # fmt: skip
    _stamps(senior, care_host, verified, days=5, fiscal_year=2025)
    before = ledger()

    with pytest.raises(errors.ConversionOutsideWindow):
        services.conversion_request(person=senior, scheme=care_support, fiscal_year=2025, today=today)

    assert ledger() == before
    assert not ConversionRequest.objects.exists()


def test_conversion_by_someone_under_65_is_refused(resident: User, care_support: Scheme) -> None:
    with pytest.raises(errors.ConversionNotEligible):
        services.conversion_request(
            person=resident, scheme=care_support, fiscal_year=2025, today=_in_window(2025)
        )
    assert not ConversionRequest.objects.exists()


def test_fewer_than_ten_stamps_convert_to_nothing(senior: User, care_host: Organisation, care_support: Scheme,
                                                   verified: Verified) -> None:  # fmt: skip
    _stamps(senior, care_host, verified, days=4, fiscal_year=2025)

    with pytest.raises(errors.NothingToConvert):
        services.conversion_request(
            person=senior, scheme=care_support, fiscal_year=2025, today=_in_window(2025)
        )


def test_kumamoto_points_cannot_be_converted(senior: User, kumamoto: Scheme) -> None:
    with pytest.raises(errors.NotConvertible):
        services.conversion_request(person=senior, scheme=kumamoto, fiscal_year=2025, today=_in_window(2025))


def test_points_expire_oldest_first_once(resident: User, kumamoto: Scheme, verified: Verified) -> None:
    old = timezone.make_aware(dt.datetime(2023, 6, 1, 10, 0))  # expires 2025-03-31
    verified(resident, starts_at=old)
    verified(resident, starts_at=old + dt.timedelta(days=1))
    verified(resident, starts_at=timezone.make_aware(dt.datetime(2024, 6, 1, 10, 0)))  # expires 2026-03-31
    services.redemption_hold(
        person=resident, reward=RewardFactory(scheme=kumamoto, cost=150)
    )  # from the oldest

    assert services.points_expire(today=dt.date(2025, 3, 31)) == 0  # still usable on the last day
    assert services.points_expire(today=dt.date(2025, 4, 1)) == 1
    assert services.points_expire(today=dt.date(2025, 4, 1)) == 0
    assert services.points_expire(today=dt.date(2025, 4, 2)) == 0
    assert Account.objects.get(owner=resident).balance == 100  # 300 − 150 spent − 50 expired
    assert LedgerTransaction.objects.get(kind="expiry").entries.get(account__owner=resident).amount == -50
    assert services.points_expire(today=dt.date(2026, 4, 1)) == 1
    assert Account.objects.get(owner=resident).balance == 0
    assert services.points_reconcile().ok
