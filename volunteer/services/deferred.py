"""What the deferred sweep re-drives: the database is the outbox (core.deferred)."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from volunteer.models import Notification, Organisation

# A notification still undelivered after a day is left in the inbox: news that late would mislead.
NOTIFICATION_STALE_AFTER = dt.timedelta(days=1)
SWEEP_BATCH = 500
CHANNELS = 2  # every delivery writes a row per channel (e-mail, push), sent or skipped


def deferred_sweep(
    *, older_than: dt.timedelta, now: dt.datetime | None = None
) -> tuple[list[int], list[int]]:
    """Ids of notifications not delivered on every channel and of applications whose coordinators
    were not told, older than `older_than` (their message was lost, or its worker died)."""
    now = now or timezone.now()
    cutoff = now - older_than
    notifications = (
        Notification.objects.filter(created_at__lt=cutoff, created_at__gte=now - NOTIFICATION_STALE_AFTER)
        .annotate(channels=Count("deliveries"))
        .filter(channels__lt=CHANNELS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    applications = (
        Organisation.objects.filter(
            status=Organisation.Status.APPLIED, coordinators_notified_at__isnull=True, applied_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(notifications[:SWEEP_BATCH]), list(applications[:SWEEP_BATCH])
