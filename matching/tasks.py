"""Thin tasks: each takes ids, is idempotent, and calls one service. Services enqueue these after
their commit; a task imports its service when it runs, so the arrow points one way."""

from celery import shared_task
from django.db import OperationalError, transaction

from core.deferred import publish, redriven_by, sweep_behind_the_queue
from matching.models import MatchingRequest


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
@redriven_by("matching.tasks.matching_sweep_task")
def matching_request_process_task(request_id: int) -> int | None:
    from matching.services import runs

    return runs.matching_request_process(request_id=request_id)


@shared_task
def matching_sweep_task(queued_at: str | None = None) -> int:
    """Re-drives requests whose message was lost or whose worker died (core.deferred)."""
    from matching.services import runs

    now = sweep_behind_the_queue(matching_sweep_task, queued_at)
    if now is None:
        return 0
    stale = runs.matching_sweep(now=now)
    for request_id in stale:
        publish(matching_request_process_task, request_id)
    return len(stale)


@shared_task
def matching_reoptimise_task() -> None:
    """The periodic exact re-optimisation of every open post."""
    from matching.services import runs

    with transaction.atomic():
        runs.matching_request_enqueue(kind=MatchingRequest.Kind.FULL)


@shared_task
def posts_expire_task() -> tuple[int, int]:
    from matching.services import posts

    return posts.posts_expire()
