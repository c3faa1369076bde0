"""The Celery application. Tasks run eagerly in-process unless REDIS_URL is set."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs: object) -> None:
    """Workers log through Django's LOGGING, not Celery's own handlers, so that its filters hold
    there too (no log line carries an individual number)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
