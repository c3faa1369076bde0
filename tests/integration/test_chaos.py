"""The chaos run (scripts/chaos.py), short: writes streamed while Redis and a worker are SIGKILLed
and restarted, on a stack of its own. It counts what the clients were told against what the
database holds after the sweeps, and says nothing was lost or doubled only if so."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_chaos_run_loses_nothing_and_doubles_nothing() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/chaos.py", "--seconds", "24", "--clients", "4", "--residents", "120"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = run.stdout
    assert run.returncode == 0, report[-4000:] + run.stderr[-4000:] + _stack_log_tail(report)
    assert "Redis SIGKILLed" in report
    assert "worker 0 SIGKILLed" in report
    assert "nothing lost, nothing doubled" in report
    written = {line.split()[0]: line.split()[1:] for line in report.splitlines() if line[:1].isalpha()}
    for kind in ("needs", "check-ins", "donations", "awards"):
        acknowledged, stored, lost, doubled = written[kind]
        assert int(acknowledged.replace(",", "")) > 0, kind
        assert (acknowledged, lost, doubled) == (stored, "0", "0"), kind


def _stack_log_tail(report: str) -> str:
    """The end of the workers' and gunicorn's log of a failed run, which CI would not keep."""
    marker = "the workers' and gunicorn's logs: "
    for line in report.splitlines():
        if line.startswith(marker) and Path(line[len(marker) :]).exists():
            return "\n" + Path(line[len(marker) :]).read_text(encoding="utf-8", errors="replace")[-6000:]
    return ""
