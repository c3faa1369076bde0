"""Under CI=true, an integration test that would be skipped fails the run instead."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_integration_without_services(ci: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CI")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/integration/test_worker.py"],
        cwd=ROOT,
        env={**env, "CI": ci},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_skipped_integration_test_fails_under_ci() -> None:
    result = _run_integration_without_services("true")
    assert result.returncode == 1, result.stdout
    assert "integration test skipped under CI=true" in result.stdout


def test_outside_ci_it_is_only_skipped() -> None:
    result = _run_integration_without_services("false")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
