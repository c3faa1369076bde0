"""Under CI=true, a test that would be skipped for want of services or system tools fails the run
instead; in the fresh-machine run (FRESH_MACHINE=true) only browser and pdf_text tests may be
skipped, and any other skip fails it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.skip_rules import skip_refused

ROOT = Path(__file__).resolve().parents[2]
PDF_TEXT = "tests/points/test_certificate_pdf.py::test_the_certificate_reads_back_with_name_hours_and_serial"
BROWSER = "tests/matching/test_staff_queue_page.py"  # four tests
INTEGRATION = "tests/integration/test_worker.py"  # one test


def _pytest(*tests: str, **env: str) -> subprocess.CompletedProcess[str]:
    kept = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CI", "FRESH_MACHINE")
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        env={**kept, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _summary(result: subprocess.CompletedProcess[str], outcome: str, reason: str) -> list[str]:
    """The tests the short summary lists with this outcome and reason."""
    return [
        line.split()[1]
        for line in result.stdout.splitlines()
        if line.startswith(f"{outcome} ") and f" - {reason}" in line
    ]


def _without_system_tools(tmp_path: Path) -> str:
    """A PATH with no chromium and no poppler-utils (the tests run our interpreter by its path)."""
    (tmp_path / "bin").mkdir()
    return str(tmp_path / "bin")


@pytest.mark.slow  # a pytest run of its own
def test_a_skipped_integration_test_fails_under_ci() -> None:
    result = _pytest(INTEGRATION, CI="true")
    assert result.returncode == 1, result.stdout
    assert "integration test skipped under CI=true" in result.stdout


@pytest.mark.slow  # a pytest run of its own
def test_outside_ci_it_is_only_skipped() -> None:
    result = _pytest(INTEGRATION, CI="false")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout


@pytest.mark.slow  # a pytest run of its own
def test_under_ci_a_missing_browser_or_poppler_fails_the_run(tmp_path: Path) -> None:
    result = _pytest(PDF_TEXT, BROWSER, CI="true", PATH=_without_system_tools(tmp_path))

    assert result.returncode == 1, result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("5 errors"), result.stdout
    assert len(_summary(result, "ERROR", "browser test skipped under CI=true")) == 4
    assert _summary(result, "ERROR", "pdf_text test skipped under CI=true") == [PDF_TEXT]


@pytest.mark.slow  # a pytest run of its own
def test_the_fresh_machine_run_skips_browser_and_pdf_text_tests_and_nothing_else(tmp_path: Path) -> None:
    result = _pytest(
        PDF_TEXT, BROWSER, INTEGRATION, CI="true", FRESH_MACHINE="true", PATH=_without_system_tools(tmp_path)
    )

    assert result.returncode == 1, result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("5 skipped, 1 error"), result.stdout
    assert _summary(result, "ERROR", "skipped in the fresh-machine run (FRESH_MACHINE=true)") == [
        "tests/integration/test_worker.py::test_an_application_is_notified_by_the_worker_once"
    ]
    assert "SKIPPED [4] tests/matching/test_staff_queue_page.py: needs Debian's chromium" in result.stdout
    assert re.search(
        r"SKIPPED \[1\] tests/points/test_certificate_pdf.py:\d+: needs pdftotext", result.stdout
    )


@pytest.mark.parametrize(
    ("markers", "ci", "fresh_machine", "refused"),
    [
        ({"integration"}, False, False, None),
        ({"browser"}, False, False, None),
        ({"pdf_text"}, False, False, None),
        (set(), True, False, None),  # a test's own skip (e.g. a single-core machine) stays a skip
        ({"integration"}, True, False, "integration test skipped under CI=true"),
        ({"browser"}, True, False, "browser test skipped under CI=true"),
        ({"pdf_text", "django_db"}, True, False, "pdf_text test skipped under CI=true"),
        ({"browser"}, True, True, None),
        ({"pdf_text"}, True, True, None),
        ({"pdf_text"}, False, True, None),
        ({"integration"}, True, True, "fresh-machine"),
        ({"integration"}, False, True, "fresh-machine"),
        (set(), True, True, "fresh-machine"),
        ({"django_db"}, False, True, "fresh-machine"),
    ],
)
def test_which_skips_fail_the_run(
    markers: set[str], ci: bool, fresh_machine: bool, refused: str | None
) -> None:
    reason = skip_refused(markers=markers, ci=ci, fresh_machine=fresh_machine)

    assert (reason is None) == (refused is None)
    assert refused is None or refused in (reason or "")
