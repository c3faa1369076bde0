"""With the cache's Redis unreachable, sign-in, sign-up and the API still answer (their rate
limits are skipped for the outage, logged) instead of a 500, and without waiting on Redis.

The cache points at a port nothing listens on (connection refused at once, as when Redis is
down); the same on the real stack is in tests/integration/test_broker_outage.py for the broker."""

import time
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from volunteer.models import User

pytestmark = pytest.mark.django_db
DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there


@pytest.fixture
def cache_down(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }


def test_the_cache_misses_and_drops_writes_instead_of_raising(cache_down: None) -> None:
    assert cache.get("counter", "default") == "default"
    assert cache.set("counter", 1) is None
    assert cache.add("lock", True) is True  # a lock "taken", so its holder goes on at once
    assert cache.get_many(["a", "b"]) == {}


def test_sign_in_sign_up_and_the_api_answer_with_the_cache_down(
    cache_down: None, resident: User, api_client: APIClient
) -> None:
    started = time.monotonic()
    wrong = api_client.post(
        "/_allauth/app/v1/auth/login", {"email": resident.email, "password": "wrong"}, format="json"
    )
    right = api_client.post(
        "/_allauth/app/v1/auth/login", {"email": resident.email, "password": PASSWORD}, format="json"
    )
    token = right.json()["meta"]["session_token"]
    me = api_client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    elapsed = time.monotonic() - started

    assert (wrong.status_code, right.status_code, me.status_code) == (400, 200, 200)
    assert elapsed < 3.0  # no lock waits, no retries: each cache call fails at once
