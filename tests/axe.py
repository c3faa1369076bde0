"""axe-core in a Playwright page: its script from npm (tests/browser, pinned; `make pytest`
installs it), evaluated in the page, and the violations a person would meet: serious and critical.
Without the script a browser test is skipped like one without chromium (and fails under CI)."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.skip(
            "needs axe-core: `npm ci --prefix tests/browser` (make pytest runs it when npm is present)"
        )
    return AXE_SCRIPT.read_text()


def severe_violations(page: Page, source: str) -> list[str]:
    """'rule: the first offending element' for every serious or critical violation on the page.
    The script is evaluated through the browser's debugging protocol, which the page's
    Content-Security-Policy does not govern, so the page is checked as it is served."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source + "\n;undefined")
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}"
        for v in results["violations"]
        if v["impact"] in SEVERE
    ]
