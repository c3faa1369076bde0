"""The API's rate limits: 429 throttled in the error shape, with Retry-After, and documented."""

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.test import Client
from rest_framework.test import APIClient

from volunteer.models import User

pytestmark = pytest.mark.django_db


def rates(settings: Any, **rates: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def test_a_person_over_the_rate_is_told_to_wait(
    settings: Any, client_for: Callable[[User], APIClient], resident: User, other_resident: User
) -> None:
    rates(settings, person="3/minute")
    client = client_for(resident)
    answered = [client.get("/api/v1/ping/").status_code for _ in range(3)]

    refused = client.get("/api/v1/ping/", HTTP_ACCEPT_LANGUAGE="en")

    assert answered == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == "throttled"
    assert "throttled" in body["message"]
    assert client_for(other_resident).get("/api/v1/ping/").status_code == 200  # counted per person


def test_the_public_certificate_verifier_allows_twenty_a_minute_per_address(api_client: APIClient) -> None:
    def verify(address: str) -> int:
        response = api_client.post(
            "/api/v1/certificates/verify/", {"credential": "not.a.jws"}, format="json", REMOTE_ADDR=address
        )
        return response.status_code

    answered = {verify("192.0.2.1") for _ in range(20)}

    assert 429 not in answered
    assert verify("192.0.2.1") == 429
    assert verify("192.0.2.2") != 429  # another address has its own count


def test_an_address_without_a_sign_in_is_limited_and_a_forged_forwarded_for_does_not_reset_it(
    settings: Any, api_client: APIClient
) -> None:
    rates(settings, address="2/minute")

    statuses = [
        api_client.get("/api/v1/areas/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_the_document_names_429_with_retry_after(api_client: APIClient) -> None:
    schema = yaml.safe_load(api_client.get("/api/schema/").content)

    refused = schema["paths"]["/api/v1/certificates/verify/"]["post"]["responses"]["429"]

    error, narrowed = refused["content"]["application/json"]["schema"]["allOf"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert narrowed["properties"]["code"]["enum"] == ["throttled"]
    assert refused["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 0}


@pytest.mark.parametrize("page", ["/verify/KV2025-XXXX-XXXX/", "/credentials/status/1"])
def test_the_public_certificate_pages_are_counted_per_address_too(settings: Any, page: str) -> None:
    rates(settings, certificate_verify="2/minute")
    client = Client()

    answered = [client.get(page, REMOTE_ADDR="192.0.2.7").status_code for _ in range(2)]
    refused = client.get(page, REMOTE_ADDR="192.0.2.7", HTTP_ACCEPT_LANGUAGE="ja")

    assert 429 not in answered
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/html")
    assert client.get(page, REMOTE_ADDR="192.0.2.8").status_code != 429  # another address


def test_with_the_cache_unreachable_requests_go_through_instead_of_failing(
    settings: Any, client_for: Callable[[User], APIClient], resident: User
) -> None:
    kept = settings.CACHES
    settings.CACHES = {  # Django reopens the cache when the setting changes
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",  # the project's cache on Redis
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    rates(settings, person="1/minute")
    try:
        client = client_for(resident)
        answers = [client.get("/api/v1/ping/").status_code for _ in range(3)]
    finally:
        settings.CACHES = kept

    assert answers == [200, 200, 200]  # not a 500, and not counted either
