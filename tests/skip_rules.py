"""Which tests may be skipped, and where.

A test that needs PostgreSQL and Redis (`integration`), Debian's chromium (`browser`) or
poppler-utils (`pdf_text`) is skipped on a machine without them, and fails the run under
CI=true, where everything is installed. FRESH_MACHINE=true marks the run that proves a machine
with only Python, make and git: the system tools are out of reach there, so browser and pdf_text
tests may be skipped, and nothing else may be skipped at all.
"""

import shutil

SYSTEM_TOOL_MARKERS = frozenset({"browser", "pdf_text"})
NEEDS_MARKERS = frozenset({"integration"}) | SYSTEM_TOOL_MARKERS
POPPLER_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")


def chromium() -> str | None:
    return shutil.which("chromium")


def missing_poppler_tools() -> list[str]:
    return [tool for tool in POPPLER_TOOLS if shutil.which(tool) is None]


def skip_refused(*, markers: set[str], ci: bool, fresh_machine: bool) -> str | None:
    """Why skipping a test with these markers fails the run, or None when the skip may stand."""
    if fresh_machine:
        if markers & SYSTEM_TOOL_MARKERS:
            return None
        return "skipped in the fresh-machine run (FRESH_MACHINE=true): only browser and pdf_text tests may be"
    needs = sorted(markers & NEEDS_MARKERS)
    if ci and needs:
        return f"{'/'.join(needs)} test skipped under CI=true"
    return None
