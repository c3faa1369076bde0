"""Run as a script by test_shared_limits.py: one process, with its own Django and its own cache
connection, sends failed logins and certificate checks; prints what each answered, as JSON.

    REDIS_URL=... DATABASE_URL=... python tests/integration/limits_client.py EMAIL ADDRESS COUNT
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.test import Client  # noqa: E402


def main(email: str, address: str, count: int) -> None:
    client = Client(REMOTE_ADDR=address)
    logins = []
    for _ in range(count):
        response = client.post(
            "/_allauth/app/v1/auth/login",
            {"email": email, "password": "not-the-password"},
            content_type="application/json",
        )
        codes = [error.get("code") for error in response.json().get("errors", [])]
        logins.append([response.status_code, *codes])
    verifications = [
        client.post(
            "/api/v1/certificates/verify/", {"credential": "not.a.jws"}, content_type="application/json"
        ).status_code
        for _ in range(count * 4)
    ]
    print(json.dumps({"logins": logins, "verifications": verifications}))  # noqa: T201 (the test reads it)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
