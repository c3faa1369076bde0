"""The ledger's hash chain: each scheme's finished days are sealed, each seal over the one
before, and the reconciliation finds a change made afterwards even when every balance and sum
was adjusted to match (on PostgreSQL the database refuses such changes in the first place)."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from points import services
from points.models import Account, Entry, LedgerSeal, LedgerTransaction, Redemption, Scheme
from tests.factories import RewardFactory
from tests.points.conftest import Verified
from volunteer.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterdays_hold(
    resident: User, kumamoto: Scheme, verified: Verified, monkeypatch: pytest.MonkeyPatch
) -> Redemption:
    """An award and a redemption's hold, both posted yesterday."""
    yesterday = timezone.now() - dt.timedelta(days=1)
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: yesterday)
        verified(resident)
        reward = RewardFactory(scheme=kumamoto, cost=100)
        return services.redemption_hold(person=resident, reward=reward)


def test_finished_days_are_sealed_once_each_over_the_one_before(
    yesterdays_hold: Redemption, kumamoto: Scheme
) -> None:
    sealed = services.ledger_seal()

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    mine = [seal for seal in sealed if seal.scheme == kumamoto]
    assert [(seal.day, seal.transactions) for seal in mine] == [(yesterday, 2)]
    assert mine[0].previous_hash == "0" * 64
    assert services.ledger_seal() == []  # nothing new to seal today
    assert services.points_reconcile().ok
    tomorrow = services.ledger_seal(today=timezone.localdate() + dt.timedelta(days=1))
    today_seal = next(seal for seal in tomorrow if seal.scheme == kumamoto)
    assert (today_seal.transactions, today_seal.previous_hash) == (0, mine[0].chain_hash)


def test_a_hold_divided_by_ten_with_the_balances_adjusted_is_found(
    yesterdays_hold: Redemption, ledger_unguarded: None
) -> None:
    services.ledger_seal()
    hold = LedgerTransaction.objects.get(kind=LedgerTransaction.Kind.HOLD)
    for entry in Entry.objects.filter(transaction=hold):
        Entry.objects.filter(pk=entry.pk).update(amount=F("amount") / 10)
        Account.objects.filter(pk=entry.account_id).update(
            balance=F("balance") - entry.amount + entry.amount // 10
        )

    differences = services.points_reconcile().differences

    day = timezone.localdate() - dt.timedelta(days=1)
    assert differences == [
        f"scheme kumamoto, {day}: the ledger no longer matches its seal (2 transactions now, 2 sealed)"
    ]


def test_a_transaction_removed_from_a_sealed_day_is_found(
    yesterdays_hold: Redemption, ledger_unguarded: None
) -> None:
    services.ledger_seal()
    LedgerSeal.objects.filter(transactions=2).update(transactions=3)  # as if one had since vanished

    differences = services.points_reconcile().differences

    assert len(differences) == 1
    assert "(2 transactions now, 3 sealed)" in differences[0]
