"""Thin tasks over volunteer services, which enqueue them after their commit; each imports its
service when it runs, so the arrow points one way."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def organisation_application_notify_task(organisation_id: int) -> bool:
    from volunteer import services

    return services.organisation_application_notify(organisation_id=organisation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_deliver_task(notification_id: int) -> list[str]:
    from volunteer import services

    return services.notification_deliver(notification_id=notification_id)


@shared_task
def identity_attempts_purge_task() -> int:
    from volunteer.services.identity import identity_attempts_purge

    return identity_attempts_purge()
