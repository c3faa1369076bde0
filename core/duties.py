"""Separation of duties: nobody decides on their own case.

Verifying one's own attendance, approving one's own organisation (or its care-host status), one's
own redemption or conversion, confirming, rejecting or making a match one is part of: points and
certificates are money-like and carry the city's name, so one rule for every app. A service asks
`refuse_own_case` before it opens its transaction: the attempt is recorded (who, on what, when)
and stays recorded when the refusal rolls the service back. A caller that wraps the decision in
a transaction of its own calls `refusal_kept` after that one rolls back.
"""

import logging

from django.db import models

from core.errors import OwnCase
from core.models import OwnCaseRefusal

logger = logging.getLogger(__name__)


def refuse_own_case(*, staff: models.Model, party_ids: list[int | None], subject: models.Model) -> None:
    """Raises OwnCase, after recording the attempt, when the member of staff is one of the
    parties (by their ids) to `subject`, the case decided on."""
    if staff.pk is None or staff.pk not in set(party_ids):
        return
    label = f"{subject._meta.label_lower}:{subject.pk}"
    record = OwnCaseRefusal.objects.create(actor_id=staff.pk, subject=label)
    logger.warning("Own case refused: staff #%s on %s", staff.pk, label)  # ids only, no personal data
    refused = OwnCase()
    refused.record = record
    raise refused


def refusal_kept(refused: OwnCase) -> None:
    """For a caller whose own transaction wrapped the refused decision (an `Idempotency-Key`'s)
    and was rolled back with it: the record written again, once that rollback is over."""
    record = getattr(refused, "record", None)
    if isinstance(record, OwnCaseRefusal) and not OwnCaseRefusal.objects.filter(pk=record.pk).exists():
        OwnCaseRefusal.objects.create(actor_id=record.actor_id, subject=record.subject, at=record.at)
