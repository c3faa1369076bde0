"""The app team's TypeScript client (clients/typescript, by scripts/typescript_client.py): generated
from the OpenAPI document, compiled under `tsc --strict` and run against a server with the small
demo city. A schema change that breaks a field the app reads fails the compile here, not in the
app; what the client lists, every page followed, must be what the database holds.

It needs node and npm besides PostgreSQL: without them it is skipped, except under CI, which has
them, where it fails."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_client_compiles_strictly_and_lists_what_the_database_holds() -> None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        reason = f"needs {' and '.join(missing)} on the PATH (node 20 or later) for clients/typescript"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI has them")
        pytest.skip(reason)
    run = subprocess.run(
        [sys.executable, "scripts/typescript_client.py"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = run.stdout
    assert run.returncode == 0, report[-6000:] + run.stderr[-3000:]
    assert report.rstrip().endswith("typescript client: agrees with the database")
    assert "compiled under tsc --strict" in report
    counts = {
        label: int(count)
        for label, count in re.findall(r"^(public events \(no token\)|events|offers): (\d+)$", report, re.M)
    }
    assert counts["events"] > 0
    assert counts["public events (no token)"] > 0  # each within the database's count, by the script
    assert counts["offers"] >= 1  # the one the script posts for the resident
    events = re.findall(r"^- event \d+: (.+) \(\d{4}-\d\d-\d\dT.+, free places: \d+\)$", report, re.M)
    offers = re.findall(r"^- offer \d+: \w+, valid until \d{4}-\d\d-\d\d$", report, re.M)
    assert len(events) == counts["events"]
    assert all("（デモ）" in title for title in events)  # the demo city's titles, as the API gave them
    assert len(offers) == counts["offers"]
    assert "a wrong password: exit status 1" in report
