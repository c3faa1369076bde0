"""Rate limits hold across processes: two separate processes sharing Redis (as two gunicorn
workers would) count one person's failed logins, and one address's certificate checks, together."""

import json
import os
import secrets
import subprocess
import sys
from typing import Any

import pytest

from tests.integration.conftest import ROOT, database_url

pytestmark = pytest.mark.integration


def process_run(email: str, address: str, count: int) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "tests/integration/limits_client.py", email, address, str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_two_processes_on_one_redis_count_failed_logins_and_throttles_together(
    transactional_db: None,
) -> None:
    # Fresh names: the counts live in the shared Redis for minutes after the test.
    email = f"target-{secrets.token_hex(4)}@example.com"
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"

    first = process_run(email, address, count=3)
    second = process_run(email, address, count=3)

    # allauth: five failed logins per account in five minutes, whichever process answered them.
    assert [attempt[-1] for attempt in first["logins"]] == ["email_password_mismatch"] * 3
    assert [attempt[-1] for attempt in second["logins"]] == ["email_password_mismatch"] * 2 + [
        "too_many_login_attempts"
    ]
    # The API: twenty certificate checks a minute per address; each process sent twelve.
    assert first["verifications"].count(429) == 0
    assert second["verifications"].count(429) == 4
