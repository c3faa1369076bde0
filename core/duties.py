"""Separation of duties: nobody decides on their own case.

Verifying one's own attendance, approving one's own organisation (or its care-host status), one's
own redemption or conversion, confirming, rejecting or making a match one is part of: points and
certificates are money-like and carry the city's name, so one rule for every app. A service asks
`refuse_own_case` before it opens its transaction: the attempt is recorded (who, on what, when)
and stays recorded when the refusal rolls the service back.
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
    OwnCaseRefusal.objects.create(actor_id=staff.pk, subject=label)
    logger.warning("Own case refused: staff #%s on %s", staff.pk, label)  # ids only, no personal data
    raise OwnCase()
