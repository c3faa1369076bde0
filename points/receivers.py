"""The seam from events: a verified participation enqueues its awards once the verification
commits. Nothing else happens here (the sweep re-drives a lost message)."""

from typing import Any

from django.dispatch import receiver

from core.deferred import publish_after_commit
from events.signals import participation_verified
from points import tasks


@receiver(participation_verified, dispatch_uid="points.award_on_verification")
def award_on_verification(sender: Any, participation_id: int, **kwargs: Any) -> None:
    publish_after_commit(tasks.participation_award_task, participation_id)
