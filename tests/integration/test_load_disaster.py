"""The disaster load test (scripts/load_disaster.py), short: shelter and volunteer-centre scans
from several devices with retries, second devices and offline batches uploaded twice, against
gunicorn and a Celery worker on PostgreSQL and Redis. The goals' figures are the full run's (the
README's benchmark section); here it must lose nothing and double nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_disaster_load_loses_nothing_and_doubles_nothing() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "scripts/load_disaster.py",
            "--households",
            "300",
            "--volunteers",
            "150",
            "--floor-seconds",
            "3",
            "--no-goals",
        ],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = run.stdout
    assert run.returncode == 0, report[-4000:] + run.stderr[-4000:]
    assert "nothing lost, nothing doubled" in report
    assert "households 300: stays 300, lost 0, doubled 0" in report
    assert "volunteers 150: receptions 150, lost 0, doubled 0" in report
    assert "call-ups sent by the worker 150" in report
    assert "unexpected answers: none" in report
