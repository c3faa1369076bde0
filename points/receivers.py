"""The seam from events: a verified participation enqueues its awards once the verification
commits. Nothing else happens here (the sweep re-drives a lost message)."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from events.signals import participation_verified
from points import tasks


@receiver(participation_verified, dispatch_uid="points.award_on_verification")
def award_on_verification(sender: Any, participation_id: int, **kwargs: Any) -> None:
    transaction.on_commit(lambda: tasks.participation_award_task.delay(participation_id))
