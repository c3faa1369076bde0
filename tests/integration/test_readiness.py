"""Readiness on the real stack: not ready until a worker has run beat's heartbeat through Redis,
ready once one has, and not ready again when the heartbeat grows old (the workers or beat stopped)."""

import time
from typing import Any

import pytest
from django.test import Client

from core.deferred import publish
from core.tasks import HEARTBEAT_KEY, redis_client, worker_heartbeat_task
from tests.integration.conftest import StartWorker, wait_for

pytestmark = pytest.mark.integration


def test_ready_only_while_a_worker_beats(start_worker: StartWorker, settings: Any) -> None:
    client = Client()
    redis = redis_client()
    redis.delete(HEARTBEAT_KEY)

    never = client.get("/readyz")
    start_worker()
    assert publish(worker_heartbeat_task)  # as beat sends it every 30 s
    assert wait_for(lambda: client.get("/readyz").status_code == 200)
    ready = client.get("/readyz").json()
    redis.set(HEARTBEAT_KEY, time.time() - settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS - 5)
    stale = client.get("/readyz")

    assert never.status_code == 503
    assert never.json()["checks"] == {"database": "ok", "redis": "ok", "workers": "no heartbeat (last never)"}
    assert ready == {"status": "ready", "checks": {"database": "ok", "redis": "ok", "workers": "ok"}}
    assert stale.status_code == 503
    assert stale.json()["checks"]["workers"].startswith("no heartbeat (last 12")
