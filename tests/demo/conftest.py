"""The small demo city, loaded once for these tests and rolled back after them.

Loading it takes seconds, so the tests here share one load: it runs inside a transaction that is
rolled back when the last of them is done, and each test runs in a savepoint of its own within it
(pytest-django's usual atomic blocks), so nothing a test does reaches another, nor any other test
of the suite."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from points import city_schemes
from points.models import AwardRule, ConversionStep, Scheme

PASSWORD = "demo-password-123"
# As every test hashes (tests/conftest.py), so that the tests can check the demo's passwords.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def small_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """What `manage.py demo_load --small` printed."""
    demo_settings = override_settings(DEMO_MODE=True, DEMO_PASSWORD=PASSWORD, PASSWORD_HASHERS=FAST_HASHING)
    with django_db_blocker.unblock(), demo_settings, transaction.atomic():
        # The schemes migration 0003 configures: a transactional test may have emptied them.
        city_schemes.ensure(Scheme, AwardRule, ConversionStep)
        city_schemes.minimums_ensure(AwardRule)
        out = StringIO()
        call_command("demo_load", small=True, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
