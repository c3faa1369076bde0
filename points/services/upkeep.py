"""Expiry of points, and the reconciliation that proves the ledger.

Expiry is first-in, first-out: whatever a person spent (or lost to earlier expiry) is taken from
their oldest points first, so on a day D the expired amount is what was credited with an end
date before D, less everything spent so far, if positive. Run twice on one day, the business key
finds the first run's transaction; run on a later day, the earlier expiry counts as spent.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Participation
from points import rules
from points.models import Account, Entry, LedgerTransaction, ParticipationAwarded, Scheme
from points.services.awards import active_rules, participation_facts, rule_spec
from points.services.ledger import Line, accounts_lock, system_account, transaction_post
from points.services.seals import seals_verify


def points_expire(*, today: dt.date | None = None) -> int:
    """Posts today's expiries; returns how many accounts lost points."""
    today = today or timezone.localdate()
    schemes = Scheme.objects.exclude(expiry=rules.Expiry.NONE.value)
    accounts = Account.objects.filter(scheme__in=schemes, kind=Account.Kind.RESIDENT, balance__gt=0)
    expired = 0
    for account_id in accounts.values_list("pk", flat=True):
        expired += _expire_account(account_id, today)
    return expired


@transaction.atomic
def _expire_account(account_id: int, today: dt.date) -> int:
    account = accounts_lock([Account(pk=account_id)])[account_id]
    totals = account.entries.aggregate(
        credited=Coalesce(Sum("amount", filter=Q(expires_on__lt=today)), 0),
        spent=Coalesce(Sum("amount", filter=Q(expires_on__isnull=True)), 0),
    )
    amount = min(account.balance, totals["credited"] + totals["spent"])  # spent is negative
    if amount <= 0:
        return 0
    transaction_post(
        kind=LedgerTransaction.Kind.EXPIRY,
        # Named by the account's state as well as the day: a retry from the same state finds this
        # transaction, while points that become expirable later the same day still expire.
        business_key=f"expiry:{account.pk}:{today.isoformat()}:{account.entries.latest('pk').pk}",
        scheme=account.scheme,
        lines=[
            Line(account, -amount),
            Line(system_account(scheme=account.scheme, kind=Account.Kind.EXPIRY), amount),
        ],
        memo=f"{today.isoformat()}",
    )
    return 1


@dataclass
class Reconciliation:
    accounts: int = 0
    transactions: int = 0
    participations: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def points_reconcile() -> Reconciliation:
    """Every balance equals the sum of its entries, every transaction balances, and every verified
    participation has exactly the awards its rules give."""
    report = Reconciliation()
    _reconcile_waiting(report)
    balances = Account.objects.annotate(total=Coalesce(Sum("entries__amount"), 0))
    report.accounts = balances.count()
    for account in balances.exclude(balance=F("total")):
        report.differences.append(
            f"account {account}: balance {account.balance}, entries sum to {account.total}"
        )
    unbalanced = LedgerTransaction.objects.annotate(total=Coalesce(Sum("entries__amount"), 0)).exclude(
        total=0
    )
    report.transactions = LedgerTransaction.objects.count()
    for posted in unbalanced:
        report.differences.append(f"transaction {posted.business_key}: entries sum to {posted.total}")
    _reconcile_shape(report)
    report.differences += seals_verify()
    _reconcile_awards(report)
    return report


def _reconcile_shape(report: Reconciliation) -> None:
    """Each scheme's entries sum to zero (points never cross from one scheme to another), every
    transaction has at least two entries, and all of them in its own scheme."""
    per_scheme = Entry.objects.values("account__scheme__code").annotate(total=Sum("amount")).exclude(total=0)
    for row in per_scheme.order_by("account__scheme__code"):
        report.differences.append(f"scheme {row['account__scheme__code']}: entries sum to {row['total']}")
    short = LedgerTransaction.objects.annotate(entry_count=Count("entries")).filter(entry_count__lt=2)
    for posted in short.order_by("pk"):
        report.differences.append(
            f"transaction {posted.business_key}: {posted.entry_count} entries (at least two)"
        )
    mixed = (
        Entry.objects.exclude(account__scheme_id=F("transaction__scheme_id"))
        .values_list("transaction__business_key", flat=True)
        .distinct()
    )
    for business_key in sorted(mixed):
        report.differences.append(f"transaction {business_key}: entries in another scheme's accounts")


def _reconcile_awards(report: Reconciliation) -> None:
    """Per person, rule and day: the awards equal the rules' amounts, capped by the daily cap (the
    cap is shared in verification order, so only the day's total is fixed by the rules)."""
    specs = {rule.pk: (rule_spec(rule), rule) for rule in active_rules()}
    # A staff reversal is a deliberate correction: that participation no longer counts for the rule.
    reversed_pairs = set(
        LedgerTransaction.objects.filter(
            kind=LedgerTransaction.Kind.REVERSAL, reverses__kind=LedgerTransaction.Kind.AWARD
        ).values_list("participation_id", "rule_id")
    )
    expected: dict[tuple[int, int, dt.date], int] = {}
    awarded = Participation.objects.filter(pk__in=ParticipationAwarded.objects.values("participation_id"))
    for participation in awarded.select_related("activity__organisation", "person").iterator(chunk_size=2000):
        report.participations += 1
        facts = participation_facts(participation)
        for rule_id, (spec, _rule) in specs.items():
            if (participation.pk, rule_id) in reversed_pairs:
                continue
            key = (participation.person_id, rule_id, facts.activity_date)
            expected[key] = expected.get(key, 0) + rules.uncapped_amount(spec, facts)
    actual: dict[tuple[int, int, dt.date], int] = {}
    rows = Entry.objects.filter(
        account__kind=Account.Kind.RESIDENT, transaction__rule__isnull=False
    ).values_list(
        "account__owner_id",
        "transaction__rule_id",
        "transaction__participation__activity__starts_at",
        "amount",
    )
    for owner_id, rule_id, starts_at, amount in rows.iterator(chunk_size=5000):
        key = (owner_id, rule_id, timezone.localtime(starts_at).date())
        actual[key] = actual.get(key, 0) + amount
    for key in sorted(set(expected) | set(actual)):
        if key[1] not in specs:  # a rule since switched off: its past awards stand
            continue
        cap = specs[key[1]][0].daily_cap
        want = expected.get(key, 0) if cap is None else min(expected.get(key, 0), cap)
        if want != actual.get(key, 0):
            person_id, rule_id, day = key
            held = actual.get(key, 0)
            report.differences.append(
                f"person {person_id}, rule {rule_id}, {day}: rules give {want}, ledger holds {held}"
            )


LISTED = 100


def _reconcile_waiting(report: Reconciliation) -> None:
    cutoff = timezone.now() - dt.timedelta(seconds=settings.POINTS_AWARD_SWEEP_AFTER_SECONDS * 2)
    waiting = Participation.objects.filter(verified_at__lte=cutoff).exclude(
        pk__in=ParticipationAwarded.objects.values("participation_id")
    )
    missing = waiting.count()
    for participation_id in waiting.values_list("pk", flat=True)[:LISTED]:
        report.differences.append(
            f"participation {participation_id}: verified but its awards were never posted"
        )
    if missing > LISTED:  # the report names the first ones and says how many more
        report.differences.append(f"… and {missing - LISTED} more participations without their awards")
