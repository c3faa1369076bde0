"""The embedded default (a SQLite file) under parallel registrations: no request fails with
"database is locked", and the event's capacity holds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_twelve_parallel_registrations_on_sqlite_never_fail_and_capacity_holds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 180}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=False, **run)
    assert migrate.returncode == 0, migrate.stderr[-2000:]

    result = subprocess.run(
        [sys.executable, "tests/events/sqlite_registrations.py", "12", "5"], check=False, **run
    )

    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["errors"] == []
    assert summary["statuses"] == [201] * 12
    assert summary["participations"] == {"registered": 5, "waitlisted": 7}
