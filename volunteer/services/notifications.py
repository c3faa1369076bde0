"""Notifications: kept in the person's inbox, then sent by e-mail and push within their
preferences and daily budget; and the devices push goes to."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.deferred import publish_after_commit
from volunteer import notifications, tasks
from volunteer.models import (
    Device,
    Notification,
    NotificationDelivery,
    User,
)


def notification_send(
    *, user: User, kind: str, title: str, body: str, dedupe_key: str, data: dict[str, Any] | None = None
) -> Notification:
    """Stores a notification once per business event and delivers it after the commit."""
    notification, created = Notification.objects.get_or_create(
        user=user,
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "title": title,
            "body": body,
            "data": data or {},
            "created_at": timezone.now(),
        },
    )
    if created:
        publish_after_commit(tasks.notification_deliver_task, notification.pk)
    return notification


def notification_deliver(*, notification_id: int) -> list[str]:
    """Sends through each channel the person allows, within their daily budget.

    At most once per channel: the delivery row is committed before the send, so a crash after
    it loses that one message rather than sending it twice.
    """
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    outcomes = []
    for channel in ("email", "push"):
        with transaction.atomic():
            User.objects.select_for_update().get(pk=notification.user_id)  # serialises the budget count
            if NotificationDelivery.objects.filter(notification=notification, channel=channel).exists():
                continue
            outcome = _delivery_outcome(notification, channel)
            NotificationDelivery.objects.create(
                notification=notification, channel=channel, outcome=outcome, at=timezone.now()
            )
        if outcome == NotificationDelivery.Outcome.SENT:
            _channel_send(notification, channel)
        outcomes.append(f"{channel}:{outcome}")
    return outcomes


def _delivery_outcome(notification: Notification, channel: str) -> str:
    if notification.user.use_suspended_at is not None or notification.user.erased_at is not None:
        return NotificationDelivery.Outcome.SKIPPED_SUSPENDED  # 利用停止: kept in the inbox, not sent
    preferences = notification.user.notification_preferences or {}
    if not preferences.get(channel, True):
        return NotificationDelivery.Outcome.SKIPPED_PREFERENCE
    if channel == "push" and not notification.user.devices.exists():
        return NotificationDelivery.Outcome.SKIPPED_NO_DEVICE
    day_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = (
        NotificationDelivery.objects.filter(
            notification__user=notification.user, outcome=NotificationDelivery.Outcome.SENT, at__gte=day_start
        )
        .exclude(notification=notification)
        .values("notification")
        .distinct()
        .count()
    )
    if sent_today >= settings.NOTIFICATION_DAILY_BUDGET:
        return NotificationDelivery.Outcome.SKIPPED_BUDGET
    return NotificationDelivery.Outcome.SENT


def _channel_send(notification: Notification, channel: str) -> None:
    if channel == "email":
        notifications.email_send(notification)
        return
    backend = notifications.push_backend()
    for device in notification.user.devices.all():
        backend.send(device=device, notification=notification)


def notification_mark_read(*, user: User, notification_ids: list[int]) -> int:
    return Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def device_register(*, user: User, platform: str, token: str) -> Device:
    """A token belongs to the phone: registering it again moves it to whoever signed in now."""
    device, _created = Device.objects.update_or_create(
        token=token, defaults={"user": user, "platform": platform, "registered_at": timezone.now()}
    )
    return device


def device_remove(*, user: User, device_id: int) -> bool:
    deleted, _by_model = Device.objects.filter(user=user, pk=device_id).delete()
    return deleted > 0
