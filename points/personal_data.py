"""What the points app holds about a person, how it forgets when the person is erased, and what
must be settled first (core.personal_data)."""

import datetime as dt

from core.personal_data import erases, erasure_blocked_by, holds
from points.models import Account, Certificate, ConversionRequest, Entry, LedgerTransaction, Redemption
from volunteer.models import User

holds(Account, "owner", why="point and stamp balances")
holds(Entry, "account__owner", why="every credit and debit of those balances")
holds(
    LedgerTransaction,
    "entries__account__owner",
    "created_by",
    why="the ledger transactions those entries belong to; corrections the person made as staff",
)
holds(Redemption, "person", "decided_by", why="rewards and donations; those the person decided as staff")
holds(ConversionRequest, "person", "decided_by", why="stamp conversions; those the person decided as staff")
holds(Certificate, "person", "revoked_by", why="activity certificates issued; those the person revoked")


@erasure_blocked_by("points")
def _held(person: User) -> list[str]:
    """Points held for a reward or a conversion wait for staff: erasing first would leave a
    hand-over to nobody, or a payment to an account that no longer says whose it is."""
    pending = []
    if Redemption.objects.filter(person=person, status=Redemption.Status.HELD).exists():
        pending.append("redemption_held")
    if ConversionRequest.objects.filter(person=person, status=ConversionRequest.Status.REQUESTED).exists():
        pending.append("conversion_requested")
    return pending


@erases("points")
def _erase(person: User, now: dt.datetime) -> None:
    """Balances and the ledger stay whole. A certificate names the person: the service's copy of
    the signed credential goes, while the one the person holds still verifies (what it certifies
    happened, and they may still need it); a reward's hand-over name goes too."""
    Certificate.objects.filter(person=person).update(credential="")
    Redemption.objects.filter(person=person).update(recipient_name="")
