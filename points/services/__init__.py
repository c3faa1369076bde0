"""Writes to the points ledger. Other code calls these names from here."""

from points.services.awards import awards_backfill, awards_sweep, participation_award
from points.services.certificates import (
    certificate_issue,
    certificate_pdf,
    certificate_revoke,
    certificate_verify,
    signing_key_rotate,
)
from points.services.holds import (
    conversion_decide,
    conversion_request,
    redemption_approve,
    redemption_hold,
    redemption_void,
)
from points.services.ledger import transaction_reverse
from points.services.seals import ledger_seal
from points.services.upkeep import Reconciliation, points_expire, points_reconcile

__all__ = [
    "Reconciliation",
    "awards_backfill",
    "awards_sweep",
    "certificate_issue",
    "certificate_pdf",
    "certificate_revoke",
    "certificate_verify",
    "conversion_decide",
    "conversion_request",
    "ledger_seal",
    "participation_award",
    "points_expire",
    "points_reconcile",
    "redemption_approve",
    "redemption_hold",
    "redemption_void",
    "signing_key_rotate",
    "transaction_reverse",
]
