"""Thin tasks over events services."""

from celery import shared_task

from events import services


@shared_task
def checkouts_close_task() -> int:
    """Forgotten check-outs close at the activity's end (periodic; idempotent)."""
    return services.checkouts_close_forgotten()


@shared_task
def waitlist_offers_expire_task() -> int:
    """Places held too long for someone from a waiting list go to the next in line."""
    return services.waitlist_offers_expire()
