"""Load shedding on the real web server: gunicorn with the Dockerfile's configuration, the
database holding every request up. The requests past WEB_MAX_IN_FLIGHT answer 503 `overloaded`
with Retry-After at once instead of waiting; liveness still answers; the held ones finish when the
database lets them (core.load)."""

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import psycopg
import pytest
from django.core.management import call_command

from tests.integration.conftest import database_url, free_port, get_json, gunicorn_start

pytestmark = pytest.mark.integration

IN_FLIGHT, REQUESTS = 2, 10


def _fetch(url: str) -> tuple[int, dict[str, Any], str | None, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback only)
            return response.status, json.loads(response.read()), None, time.monotonic() - started
    except urllib.error.HTTPError as error:
        body = json.loads(error.read())
        return error.code, body, error.headers.get("Retry-After"), time.monotonic() - started


def test_a_saturated_web_worker_sheds_the_excess_at_once(transactional_db: None) -> None:
    call_command("plan_load", verbosity=0)
    port = free_port()
    server = gunicorn_start(port, workers=1, WEB_MAX_IN_FLIGHT=str(IN_FLIGHT))
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/v1/plan/indicators/?plan=kumamoto-welfare-5"
    try:
        assert get_json(url) is not None  # warm: the worker has its database connection
        results: list[tuple[int, dict[str, Any], str | None, float]] = []
        with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as blocker:
            blocker.execute("LOCK TABLE plan_registry_indicator IN ACCESS EXCLUSIVE MODE")
            threads = [threading.Thread(target=lambda: results.append(_fetch(url))) for _ in range(REQUESTS)]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 20
            while len(results) < REQUESTS - IN_FLIGHT and time.monotonic() < deadline:
                time.sleep(0.05)
            shed = list(results)
            alive = _fetch(f"{base}/healthz")
            blocker.rollback()  # the database lets the held requests through
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert len(shed) == REQUESTS - IN_FLIGHT, output[-3000:]
    assert {(status, body["code"], retry_after) for status, body, retry_after, _ in shed} == {
        (503, "overloaded", "2")
    }
    assert max(seconds for *_, seconds in shed) < 5
    assert alive[0] == 200
    assert sorted(status for status, *_ in results) == [200] * IN_FLIGHT + [503] * (REQUESTS - IN_FLIGHT)
