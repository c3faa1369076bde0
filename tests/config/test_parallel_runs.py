"""`make pytest` runs the suite on xdist workers with --dist loadgroup: every integration test goes
to the same one, because the Celery workers they start share one Redis queue."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_integration_tests_all_run_on_one_xdist_worker() -> None:
    skipping = ("DATABASE_URL", "REDIS_URL", "CI", "FRESH_MACHINE")  # the integration tests skip
    arguments = ["-p", "no:cacheprovider", "-v", "-n", "2", "--dist", "loadgroup"]
    run = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "pytest", *arguments, "tests/integration"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in skipping},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    ran = [line.split() for line in run.stdout.splitlines() if line.startswith("[gw")]
    integration = [words for words in ran if words[-1].startswith("tests/integration/")]
    assert run.returncode == 0, run.stdout
    assert len(integration) >= 10, run.stdout
    assert all(words[-1].endswith("@services") for words in integration), run.stdout
    assert len({words[0] for words in integration}) == 1, run.stdout
