"""The commands docker-compose.yml runs, run here without Docker: gunicorn under the
production settings against PostgreSQL and Redis, and celery beat."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.integration.conftest import free_port, get_json, production_env

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_gunicorn_serves_the_api_under_production_settings(transactional_db: None) -> None:
    call_command("plan_load", verbosity=0)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=production_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert get_json(f"http://127.0.0.1:{port}/healthz") == {"status": "ok"}
        indicators = get_json(f"http://127.0.0.1:{port}/api/v1/plan/indicators/?plan=kumamoto-welfare-5")
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
        env=production_env(),
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
