"""The benchmark script runs (small instance only) and finds the reference optimum."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_quick_benchmark_completes_with_the_reference_objective() -> None:
    run = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(ROOT / "scripts" / "bench_matching.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    assert "engine/reference objective 1.000" in run.stdout
    assert "MISMATCH" not in run.stdout
