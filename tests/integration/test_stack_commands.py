"""The commands docker-compose.yml runs, run here without Docker: gunicorn under the
production settings against PostgreSQL and Redis, and celery beat."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _production_env() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "integration-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }


def _get_json(url: str, seconds: float = 30) -> object:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (loopback only)
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_gunicorn_serves_the_api_under_production_settings(transactional_db: None) -> None:
    call_command("plan_load", verbosity=0)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=_production_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _get_json(f"http://127.0.0.1:{port}/healthz") == {"status": "ok"}
        indicators = _get_json(f"http://127.0.0.1:{port}/api/v1/plan/indicators/?plan=kumamoto-welfare-5")
        assert isinstance(indicators, dict)
        assert indicators["count"] == 12 + 13 + 1  # the plan's twelve, the system's own thirteen, POP-01
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_celery_beat_starts_with_the_project_settings(tmp_path: Path, transactional_db: None) -> None:
    log_path = tmp_path / "beat.log"
    log = log_path.open("w")
    beat = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(tmp_path / "schedule"),
        ],
        cwd=ROOT,
        env=_production_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60  # a loaded machine may take a while to import the project
    while "beat: Starting..." not in log_path.read_text() and time.monotonic() < deadline:
        if beat.poll() is not None:
            break
        time.sleep(0.3)
    still_running = beat.poll() is None
    beat.terminate()
    beat.wait(timeout=20)
    log.close()
    output = log_path.read_text()
    assert still_running, output
    assert "beat: Starting..." in output
