"""Posting to the ledger: the only code that writes entries or changes a balance.

Every posting runs in the caller's transaction, locks its accounts in id order (so two postings
over the same accounts cannot deadlock), writes a balanced set of entries and moves the cached
balances by the same amounts. A business key names each transaction once: posting it again
returns the first one unchanged, which is what makes retries and redelivered tasks harmless.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import required_reason
from events.models import Participation
from points import errors
from points.models import Account, AwardRule, Entry, LedgerTransaction, Scheme
from volunteer.models import User


@dataclass(frozen=True)
class Line:
    account: Account
    amount: int
    expires_on: dt.date | None = None


def resident_account(*, scheme: Scheme, person: User) -> Account:
    return _account(scheme=scheme, kind=Account.Kind.RESIDENT, owner=person)


def resident_accounts(*, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Account]:
    """The resident accounts of many (scheme id, person id) pairs at once; missing ones are created."""
    people = {person_id for _scheme_id, person_id in pairs}

    def existing() -> dict[tuple[int, int], Account]:
        rows = Account.objects.filter(kind=Account.Kind.RESIDENT, owner_id__in=people)
        # Resident accounts always have an owner (a check constraint); 0 only satisfies the types.
        return {key: a for a in rows if (key := (a.scheme_id, a.owner_id or 0)) in pairs}

    accounts = existing()
    missing = pairs - accounts.keys()
    if missing:
        # A concurrent first posting may create one of them: that row is kept, and read back.
        Account.objects.bulk_create(
            [Account(scheme_id=s, kind=Account.Kind.RESIDENT, owner_id=p) for s, p in missing],
            ignore_conflicts=True,
        )
        accounts = existing()
    return accounts


def system_account(*, scheme: Scheme, kind: str) -> Account:
    return _account(scheme=scheme, kind=kind, owner=None)


def _account(*, scheme: Scheme, kind: str, owner: User | None) -> Account:
    found = Account.objects.filter(scheme=scheme, kind=kind, owner=owner).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Account.objects.create(scheme=scheme, kind=kind, owner=owner)
    except IntegrityError:  # created by a concurrent first posting
        return Account.objects.get(scheme=scheme, kind=kind, owner=owner)


def accounts_lock(accounts: list[Account]) -> dict[int, Account]:
    """Row locks on the accounts, in id order; fresh balances."""
    ids = sorted({account.pk for account in accounts})
    return {
        account.pk: account
        for account in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def transaction_post(
    *,
    kind: str,
    business_key: str,
    scheme: Scheme,
    lines: list[Line],
    participation: Participation | None = None,
    rule: AwardRule | None = None,
    reverses: LedgerTransaction | None = None,
    memo: str = "",
    created_by: User | None = None,
) -> tuple[LedgerTransaction, bool]:
    """(the transaction, whether it is new). Must run inside `transaction.atomic`."""
    if sum(line.amount for line in lines) != 0 or any(line.amount == 0 for line in lines) or len(lines) < 2:
        raise ValueError(f"unbalanced or empty posting {business_key}: {[line.amount for line in lines]}")
    existing = LedgerTransaction.objects.filter(business_key=business_key).first()
    if existing is not None:
        return existing, False
    locked = accounts_lock([line.account for line in lines])
    for line in lines:
        account = locked[line.account.pk]
        if account.kind in (Account.Kind.RESIDENT, Account.Kind.HOLD) and account.balance + line.amount < 0:
            raise errors.InsufficientBalance()
    posted = LedgerTransaction.objects.create(
        kind=kind,
        business_key=business_key,
        scheme=scheme,
        participation=participation,
        rule=rule,
        reverses=reverses,
        memo=memo[:200],
        created_at=timezone.now(),
        created_by=created_by,
    )
    Entry.objects.bulk_create(
        Entry(transaction=posted, account_id=line.account.pk, amount=line.amount, expires_on=line.expires_on)
        for line in lines
    )
    for line in lines:
        Account.objects.filter(pk=line.account.pk).update(balance=F("balance") + line.amount)
    return posted, True


@transaction.atomic
def transaction_reverse(*, posted: LedgerTransaction, staff: User, reason: str) -> LedgerTransaction:
    """A correction: the same entries with opposite signs, linked to the original (once)."""
    reason = required_reason(reason)
    if LedgerTransaction.objects.filter(reverses=posted).exists():
        raise errors.AlreadyReversed()
    lines = [
        Line(entry.account, -entry.amount, entry.expires_on)
        for entry in posted.entries.select_related("account")
    ]
    try:
        with transaction.atomic():
            reversal, _ = transaction_post(
                kind=LedgerTransaction.Kind.REVERSAL,
                business_key=f"reversal:{posted.pk}",
                scheme=posted.scheme,
                lines=lines,
                participation=posted.participation,
                rule=posted.rule,
                reverses=posted,
                memo=reason.strip(),
                created_by=staff,
            )
    except errors.InsufficientBalance as spent:
        raise errors.ReversalWouldOverdraw() from spent
    return reversal
