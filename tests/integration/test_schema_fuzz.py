"""The schema fuzzed against the running server (scripts/schema_fuzz.py): schemathesis over every
operation with a resident's and a coordinator's token, on a stack and a database of its own. No
5xx, no undocumented status code or content type, no body or header that breaks the schema."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def failures(report: str) -> str:
    """Schemathesis's ERRORS and FAILURES sections of each run (what broke, with a curl to replay
    it), else the report's tail."""
    ending = r"(?=\n=+ (?:ERRORS|FAILURES|WARNINGS|SUMMARY) =+)"
    sections = re.findall(r"=+ (?:ERRORS|FAILURES) =+\n(.*?)" + ending, report, re.S)
    return "\n".join(section[:8000] for section in sections) or report[-6000:]


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
    assert run.returncode == 0, failures(report) + run.stderr[-3000:]
    assert report.count("== the schema fuzzed as") == 2
    assert report.rstrip().endswith("schema fuzz: clean")
    assert " passed" in report  # schemathesis ran its cases, not nothing
