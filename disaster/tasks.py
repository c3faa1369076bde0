"""Thin tasks over disaster mode's services."""

from celery import shared_task

from disaster import services


@shared_task
def disasters_record_lapses_task() -> int:
    """Records each declaration that lapsed unrenewed (periodic; idempotent). The mode ended at
    the lapse whether or not this ran."""
    return services.disasters_record_lapses()


@shared_task
def call_ups_due_task() -> int:
    """Fills each open centre's coming days from its registrations (periodic; idempotent)."""
    return services.call_ups_due()
