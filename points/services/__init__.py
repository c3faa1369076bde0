"""Writes to the points ledger. Other code calls these names from here."""

from points.services.awards import awards_sweep, participation_award
from points.services.holds import (
    conversion_decide,
    conversion_request,
    redemption_approve,
    redemption_hold,
    redemption_void,
)
from points.services.ledger import transaction_reverse
from points.services.upkeep import Reconciliation, points_expire, points_reconcile

__all__ = [
    "Reconciliation",
    "awards_sweep",
    "conversion_decide",
    "conversion_request",
    "participation_award",
    "points_expire",
    "points_reconcile",
    "redemption_approve",
    "redemption_hold",
    "redemption_void",
    "transaction_reverse",
]
