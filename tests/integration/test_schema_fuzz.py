"""The schema fuzzed against the running server (scripts/schema_fuzz.py): schemathesis over every
operation with a resident's and a coordinator's token, on a stack and a database of its own. No
5xx, no undocumented status code or content type, no body or header that breaks the schema."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_schemathesis_finds_the_server_and_its_schema_in_agreement() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/schema_fuzz.py", "--max-examples", "5"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = run.stdout
    assert run.returncode == 0, report[-6000:] + run.stderr[-3000:]
    assert report.count("== the schema fuzzed as") == 2
    assert report.rstrip().endswith("schema fuzz: clean")
    assert " passed" in report  # schemathesis ran its cases, not nothing
