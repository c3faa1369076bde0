"""Sign-up is limited per address (allauth's rate limit, tightened in the settings): a script
cannot create accounts in bulk from one address; another address is not held up."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from plan_registry.models import Area
from tests.factories import PASSWORD
from volunteer.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/_allauth/app/v1/auth/signup"


def sign_up(client: APIClient, n: int, address: str, district: Area) -> Any:
    body = {"email": f"person{n}@example.com", "password": PASSWORD, "school_district": district.code}
    return client.post(SIGNUP, body, format="json", REMOTE_ADDR=address)


def test_ten_sign_ups_a_minute_per_address(api_client: APIClient, school_district: Area) -> None:
    answered = [sign_up(APIClient(), n, "192.0.2.50", school_district).status_code for n in range(10)]

    refused = sign_up(api_client, 10, "192.0.2.50", school_district)
    elsewhere = sign_up(api_client, 11, "192.0.2.51", school_district)

    assert answered == [200] * 10
    assert refused.status_code == 429
    assert not User.objects.filter(email="person10@example.com").exists()
    assert elsewhere.status_code == 200
