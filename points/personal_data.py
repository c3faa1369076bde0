"""What the points app holds about a person (core.personal_data)."""

from core.personal_data import holds
from points.models import Account, Certificate, ConversionRequest, Entry, LedgerTransaction, Redemption

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
