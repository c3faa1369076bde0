"""Notification channels. Email goes through Django's e-mail backend; push goes through a
pluggable backend (`NOTIFICATION_PUSH_BACKEND`) whose default only logs."""

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from volunteer.models import Device, Notification

logger = logging.getLogger(__name__)


class PushBackend(Protocol):
    def send(self, *, device: Device, notification: Notification) -> None: ...


class LoggingPushBackend:
    """The default: records what would have been pushed. Swap in FCM/APNs by setting."""

    def send(self, *, device: Device, notification: Notification) -> None:
        logger.info(
            "push %s to %s device %s: %s", notification.kind, device.platform, device.pk, notification.title
        )


def push_backend() -> PushBackend:
    backend: PushBackend = import_string(settings.NOTIFICATION_PUSH_BACKEND)()
    return backend


def email_send(notification: Notification) -> None:
    send_mail(
        subject=notification.title,
        message=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.user.email],
    )
