"""The ledger against a plain Python model: awards (and their retries), holds, approvals, voids,
reversals and expiry in any order; after every step the books balance and agree with the model."""

import datetime as dt

import pytest
from django.db.models import Sum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from points import errors, services
from points.models import Account, Entry, LedgerTransaction, Redemption
from points.services.ledger import Line, resident_account, system_account, transaction_post
from tests.factories import RewardFactory, SchemeFactory, UserFactory, VerifiedIdentityFactory

pytestmark = pytest.mark.django_db

EXPIRY_DATES = (dt.date(2025, 3, 31), dt.date(2026, 3, 31), dt.date(2027, 3, 31))


class LedgerMachine(RuleBasedStateMachine):
    checks = 0  # how often the invariant ran, over every example

    def __init__(self) -> None:
        super().__init__()
        self.scheme = SchemeFactory()
        self.people = [VerifiedIdentityFactory().person, VerifiedIdentityFactory().person]  # rewards need it
        self.staff = UserFactory()
        self.awards: dict[str, tuple[int, int, dt.date]] = {}  # key → (person, amount, expires_on)
        self.reversed: set[str] = set()
        self.lots: list[list[tuple[dt.date, int]]] = [[], []]  # credits (reversals negative), per person
        self.spent = [0, 0]  # net amount taken out other than by reversal (holds, expiry), per person
        self.held: dict[int, tuple[int, int]] = {}  # redemption → (person, amount), still held
        self.decided: set[int] = set()
        self.today = dt.date(2025, 1, 1)

    def balance(self, person: int) -> int:
        return sum(amount for _, amount in self.lots[person]) - self.spent[person]

    @rule(
        person=st.integers(0, 1),
        key=st.integers(0, 5),
        amount=st.integers(1, 300),
        expires=st.sampled_from(EXPIRY_DATES),
    )
    def award(self, person: int, key: int, amount: int, expires: dt.date) -> None:
        business_key = f"model:{self.scheme.pk}:{key}"
        account = resident_account(scheme=self.scheme, person=self.people[person])
        issuance = system_account(scheme=self.scheme, kind=Account.Kind.ISSUANCE)
        transaction_post(kind="award", business_key=business_key, scheme=self.scheme,
                         lines=[Line(issuance, -amount), Line(account, amount, expires)])  # fmt: skip
        if business_key not in self.awards:  # a retry with the same key changes nothing
            self.awards[business_key] = (person, amount, expires)
            self.lots[person].append((expires, amount))

    @rule(person=st.integers(0, 1), cost=st.integers(1, 400))
    def hold(self, person: int, cost: int) -> None:
        reward = RewardFactory(scheme=self.scheme, cost=cost)
        try:
            redemption = services.redemption_hold(person=self.people[person], reward=reward)
        except errors.InsufficientBalance:
            assert self.balance(person) < cost
            return
        assert self.balance(person) >= cost
        self.held[redemption.pk] = (person, cost)
        self.spent[person] += cost

    @precondition(lambda self: self.held or self.decided)
    @rule(data=st.data(), approve=st.booleans())
    def decide(self, data: st.DataObject, approve: bool) -> None:
        redemption_id = data.draw(st.sampled_from(sorted(set(self.held) | self.decided)))
        redemption = Redemption.objects.get(pk=redemption_id)
        try:
            if approve:
                services.redemption_approve(redemption=redemption, staff=self.staff)
            else:
                services.redemption_void(redemption=redemption, staff=self.staff, reason="在庫切れ")
        except errors.AlreadyDecided:
            assert redemption_id in self.decided
            return
        person, cost = self.held.pop(redemption_id)
        self.decided.add(redemption_id)
        if not approve:
            self.spent[person] -= cost

    @precondition(lambda self: self.awards)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        business_key = data.draw(st.sampled_from(sorted(self.awards)))
        person, amount, expires = self.awards[business_key]
        posted = LedgerTransaction.objects.get(business_key=business_key)
        if business_key in self.reversed or self.balance(person) < amount:
            refusal = (
                errors.AlreadyReversed if business_key in self.reversed else errors.ReversalWouldOverdraw
            )
            with pytest.raises(refusal):
                services.transaction_reverse(posted=posted, staff=self.staff, reason="訂正")
            return
        services.transaction_reverse(posted=posted, staff=self.staff, reason="訂正")
        self.reversed.add(business_key)
        self.lots[person].append((expires, -amount))

    @rule(
        day=st.sampled_from(EXPIRY_DATES) | st.sampled_from([d + dt.timedelta(days=1) for d in EXPIRY_DATES])
    )
    def expire(self, day: dt.date) -> None:
        """On a last day of use, or the day after it (where an off-by-one would show)."""
        self.today = max(self.today, day)
        services.points_expire(today=self.today)
        for person in (0, 1):
            credited = sum(amount for expires, amount in self.lots[person] if expires < self.today)
            expired = max(0, min(self.balance(person), credited - self.spent[person]))
            self.spent[person] += expired

    @invariant()
    def books_balance_and_agree_with_the_model(self) -> None:
        LedgerMachine.checks += 1
        accounts = Account.objects.filter(scheme=self.scheme)
        for account in accounts:
            assert account.balance == (account.entries.aggregate(total=Sum("amount"))["total"] or 0)
            assert account.kind not in ("resident", "hold") or account.balance >= 0
        for posted in LedgerTransaction.objects.filter(scheme=self.scheme):
            assert posted.entries.aggregate(total=Sum("amount"))["total"] == 0
        for person in (0, 1):
            account = accounts.filter(owner=self.people[person]).first()
            assert (account.balance if account else 0) == self.balance(person)
        hold = accounts.filter(kind="hold").first()
        assert (hold.balance if hold else 0) == sum(cost for _, cost in self.held.values())
        assert not Entry.objects.filter(account__scheme=self.scheme, amount=0).exists()


@pytest.mark.slow
def test_the_ledger_agrees_with_its_model() -> None:
    LedgerMachine.checks = 0
    examples = settings(stateful_step_count=20, deadline=None)  # as many runs as the profile says
    run_state_machine_as_test(LedgerMachine, settings=examples)

    # The machine's invariant holds the assertions; make sure it really ran after steps that
    # posted to the ledger.
    assert LedgerMachine.checks > examples.max_examples
    assert LedgerTransaction.objects.filter(kind="award").exists()
