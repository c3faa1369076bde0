"""The commands docker-compose.yml runs, run here without Docker: gunicorn under the
production settings against PostgreSQL and Redis, and celery beat."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from django.core.management import call_command

from core.individual_number import REDACTED, check_digit, find_individual_numbers
from tests.integration.conftest import free_port, get_json, gunicorn_start, production_env

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VALID = "12345678901" + str(check_digit("12345678901"))


def test_gunicorn_serves_the_api_under_production_settings(transactional_db: None) -> None:
    """The Dockerfile's command: config/gunicorn.conf.py, its access log on standard output."""
    call_command("plan_load", verbosity=0)
    port = free_port()
    server = gunicorn_start(port, workers=2)
    spaced = f"{VALID[:4]}%20{VALID[4:8]}%20{VALID[8:]}"  # an individual number in a query, URL-encoded
    try:
        assert get_json(f"http://127.0.0.1:{port}/healthz") == {"status": "ok"}
        indicators = get_json(f"http://127.0.0.1:{port}/api/v1/plan/indicators/?plan=kumamoto-welfare-5")
        assert isinstance(indicators, dict)
        assert indicators["count"] == 12 + 15 + 1  # the plan's twelve, the system's own fifteen, POP-01
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/plan/indicators/?q={spaced}", timeout=5)
        assert refused.value.code == 400
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "GET /api/v1/plan/indicators/?plan=kumamoto-welfare-5" in output  # the access log
    assert REDACTED in output
    assert [line for line in output.splitlines() if find_individual_numbers(unquote_plus(line))] == []


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
