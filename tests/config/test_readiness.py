"""Liveness stays cheap; readiness answers 503 with Retry-After, naming what failed, when the
database or Redis is down or no worker has run beat's heartbeat lately. With a real worker on
Redis: tests/integration/test_readiness.py."""

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from config import views

pytestmark = pytest.mark.django_db


def test_liveness_touches_nothing(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert client.get("/healthz").json() == {"status": "ok"}


def test_the_embedded_default_is_ready_when_its_database_answers(client: Client, settings: Any) -> None:
    settings.REDIS_URL = ""  # (CI's environment has one)
    response = client.get("/readyz")

    assert (response.status_code, response.json()) == (200, {"status": "ready", "checks": {"database": "ok"}})


def test_not_ready_while_the_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.REDIS_URL = ""

    class Down:
        def __enter__(self) -> None:
            raise OperationalError("could not connect to server")

        def __exit__(self, *args: Any) -> None:
            return None

    monkeypatch.setattr(views.connection, "cursor", lambda: Down())

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json()["checks"] == {"database": "unavailable"}


def test_not_ready_while_redis_is_down(client: Client, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unavailable", "workers": "unknown"}
