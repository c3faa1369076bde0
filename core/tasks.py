"""The floor's tasks: the workers' heartbeat (beat sends it, a worker runs it, readiness reads it,
config.views), and the daily purge of personal data on the retention schedule."""

import time

import redis
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.personal_data import personal_data_purge

HEARTBEAT_KEY = "kumamoto-volunteer:worker-heartbeat"


def redis_client() -> redis.Redis:
    """Straight to Redis, failing within a second: readiness must answer fast when Redis is down."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1)


@shared_task
def worker_heartbeat_task() -> float:
    """A worker took a message from the queue and ran it, just now."""
    now = time.time()
    redis_client().set(HEARTBEAT_KEY, now, ex=3600)
    return now


@shared_task
def personal_data_purge_task() -> dict[str, int]:
    """Forgets what the retention schedule says is no longer needed; rows forgotten, by purge."""
    return personal_data_purge(now=timezone.now())
