"""Thin tasks over events services."""

from celery import shared_task

from events import services


@shared_task
def checkouts_close_task() -> int:
    """Forgotten check-outs close at the activity's end (periodic; idempotent)."""
    return services.checkouts_close_forgotten()
