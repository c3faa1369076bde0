"""Which tests may be skipped, and where.

A test that needs PostgreSQL and Redis (`integration`), Debian's chromium (`browser`) or
poppler-utils (`pdf_text`) is skipped on a machine without them, and fails the run under
CI=true, where everything is installed.
"""

import shutil

NEEDS_MARKERS = frozenset({"integration", "browser", "pdf_text"})
POPPLER_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")


def chromium() -> str | None:
    return shutil.which("chromium")


def missing_poppler_tools() -> list[str]:
    return [tool for tool in POPPLER_TOOLS if shutil.which(tool) is None]


def skip_refused(*, markers: set[str], ci: bool) -> str | None:
    """Why skipping a test with these markers fails the run, or None when the skip may stand."""
    needs = sorted(markers & NEEDS_MARKERS)
    if ci and needs:
        return f"{'/'.join(needs)} test skipped under CI=true"
    return None
