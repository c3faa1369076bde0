"""Thin tasks over points services. Each is idempotent: business keys make a repeat a no-op."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from core.deferred import redriven_by, sweep_behind_the_queue

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
@redriven_by("points.tasks.awards_sweep_task")
def participation_award_task(participation_id: int) -> int:
    from points import services

    return len(services.participation_award(participation_id=participation_id))


@shared_task
def awards_sweep_task(queued_at: str | None = None) -> int:
    """Re-drives verified participations whose award task was lost (the database is the outbox)."""
    from points import services

    now = sweep_behind_the_queue(awards_sweep_task, queued_at)
    if now is None:
        return 0
    after = dt.timedelta(seconds=settings.POINTS_AWARD_SWEEP_AFTER_SECONDS)
    return services.awards_sweep(older_than=after, now=now)


@shared_task
def points_expire_task() -> int:
    from points import services

    return services.points_expire()


@shared_task
def ledger_seal_task() -> int:
    """Nightly, before the reconciliation: yesterday's transactions sealed into each scheme's chain."""
    from points import services

    return len(services.ledger_seal())


@shared_task
def points_reconcile_task() -> list[str]:
    from points import services

    report = services.points_reconcile()
    for difference in report.differences:
        logger.error("points reconciliation: %s", difference)
    return report.differences
