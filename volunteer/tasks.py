from celery import shared_task

from volunteer import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def organisation_application_notify_task(organisation_id: int) -> bool:
    return services.organisation_application_notify(organisation_id=organisation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_deliver_task(notification_id: int) -> list[str]:
    return services.notification_deliver(notification_id=notification_id)


@shared_task
def identity_attempts_purge_task() -> int:
    from volunteer.identity import identity_attempts_purge

    return identity_attempts_purge()
