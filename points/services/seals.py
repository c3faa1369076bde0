"""The ledger's hash chain: each scheme's days sealed in turn, each seal over the previous one.

A day's hash starts from the previous seal's hash and folds in every transaction of the scheme
created that day (Japan time), in id order, with its entries in account order: id, business
key, kind, time, and each entry's account, amount and expiry. The database refuses changes to
ledger rows, but whoever could switch that off could also adjust balances to match; the chain
is what finds such a change afterwards (`points_reconcile` folds each sealed day again).
Days are sealed once they are over (the nightly task seals up to yesterday).
"""

import datetime as dt
import hashlib
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from plan_registry.fiscal_year import JAPAN
from points.models import LedgerSeal, LedgerTransaction, Scheme

GENESIS = "0" * 64


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=JAPAN)
    return start, start + dt.timedelta(days=1)


def _canonical(posted: LedgerTransaction) -> Iterator[bytes]:
    yield f"{posted.pk}|{posted.business_key}|{posted.kind}|{posted.created_at.isoformat()}".encode()
    for entry in sorted(posted.entries.all(), key=lambda entry: (entry.account_id, entry.pk)):
        yield f"|{entry.account_id}:{entry.amount}:{entry.expires_on or ''}".encode()


def day_fold(*, scheme: Scheme, day: dt.date, previous_hash: str) -> tuple[str, int]:
    """(the day's hash, how many transactions it covers)."""
    start, end = _day_bounds(day)
    postings = (
        LedgerTransaction.objects.filter(scheme=scheme, created_at__gte=start, created_at__lt=end)
        .prefetch_related("entries")
        .order_by("pk")
    )
    digest, count = previous_hash, 0
    for posted in postings.iterator(chunk_size=2000):
        step = hashlib.sha256(bytes.fromhex(digest))
        for part in _canonical(posted):
            step.update(part)
        digest, count = step.hexdigest(), count + 1
    return digest, count


def ledger_seal(*, today: dt.date | None = None) -> list[LedgerSeal]:
    """Seals every scheme's days not sealed yet, up to yesterday. Idempotent."""
    today = today or timezone.localdate()
    sealed = []
    for scheme in Scheme.objects.order_by("pk"):
        with transaction.atomic():
            Scheme.objects.select_for_update().get(pk=scheme.pk)  # one sealer per scheme at a time
            last = LedgerSeal.objects.filter(scheme=scheme).order_by("-day").first()
            first = LedgerTransaction.objects.filter(scheme=scheme).order_by("created_at").first()
            if first is None:
                continue
            day = last.day + dt.timedelta(days=1) if last else timezone.localtime(first.created_at).date()
            previous = last.chain_hash if last else GENESIS
            while day < today:
                chain_hash, count = day_fold(scheme=scheme, day=day, previous_hash=previous)
                sealed.append(
                    LedgerSeal.objects.create(
                        scheme=scheme,
                        day=day,
                        transactions=count,
                        previous_hash=previous,
                        chain_hash=chain_hash,
                        sealed_at=timezone.now(),
                    )
                )
                previous, day = chain_hash, day + dt.timedelta(days=1)
    return sealed


def seals_verify() -> list[str]:
    """Each seal's day folded again from its previous hash, and each seal linked to the one before."""
    differences = []
    previous: dict[int, str] = {}
    for seal in LedgerSeal.objects.select_related("scheme").order_by("scheme_id", "day"):
        expected_previous = previous.get(seal.scheme_id, GENESIS)
        if seal.previous_hash != expected_previous:
            differences.append(
                f"scheme {seal.scheme.code}, {seal.day}: the seal is not linked to the one before"
            )
        chain_hash, count = day_fold(scheme=seal.scheme, day=seal.day, previous_hash=seal.previous_hash)
        if (chain_hash, count) != (seal.chain_hash, seal.transactions):
            differences.append(
                f"scheme {seal.scheme.code}, {seal.day}: the ledger no longer matches its seal "
                f"({count} transactions now, {seal.transactions} sealed)"
            )
        previous[seal.scheme_id] = seal.chain_hash
    return differences
