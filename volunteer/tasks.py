"""Thin tasks over volunteer services, which enqueue them after their commit; each imports its
service when it runs, so the arrow points one way."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from core.deferred import publish, redriven_by, sweep_behind_the_queue


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
@redriven_by("volunteer.tasks.deferred_sweep_task")
def organisation_application_notify_task(organisation_id: int) -> bool:
    from volunteer import services

    return services.organisation_application_notify(organisation_id=organisation_id)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
@redriven_by("volunteer.tasks.deferred_sweep_task")
def notification_deliver_task(notification_id: int) -> list[str]:
    from volunteer import services

    return services.notification_deliver(notification_id=notification_id)


@shared_task
def deferred_sweep_task(queued_at: str | None = None) -> int:
    """Re-drives notifications not yet delivered and applications whose coordinators were not
    told (a message lost with the broker, a worker that died): the database is the outbox."""
    from volunteer import services

    now = sweep_behind_the_queue(deferred_sweep_task, queued_at)
    if now is None:
        return 0
    after = dt.timedelta(seconds=settings.DEFERRED_SWEEP_AFTER_SECONDS)
    notifications, applications = services.deferred_sweep(older_than=after, now=now)
    for notification_id in notifications:
        publish(notification_deliver_task, notification_id)
    for organisation_id in applications:
        publish(organisation_application_notify_task, organisation_id)
    return len(notifications) + len(applications)
