"""The Japanese font every PDF embeds: IPAexGothic, a TrueType file that ships inside the
`matplotlib-fontja` package (with its IPA Font License), so a machine with nothing but Python
has it. reportlab's built-in CID fonts are not embedded and show as empty boxes where they are
not installed, so the file itself must be at hand.

Pure: no Django. The package is located without importing it, because its `__init__` imports
matplotlib (a second of start-up and a font cache) only to be found.
"""

import importlib.util
from pathlib import Path

PACKAGE = "matplotlib_fontja"
PACKAGED_FILE = Path("fonts") / "ipaexg.ttf"


class JapaneseFontMissing(FileNotFoundError):
    pass


def japanese_font_path(*, override: str | Path = "") -> Path:
    """The override when one is given (a deployment's own copy of the font), else the packaged
    file; either way a file that exists, or JapaneseFontMissing saying what is missing."""
    if str(override):
        path = Path(override)
        if not path.is_file():
            raise JapaneseFontMissing(f"the Japanese font file {path} does not exist")
        return path
    spec = importlib.util.find_spec(PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / PACKAGED_FILE
        if path.is_file():
            return path
    raise JapaneseFontMissing(
        f"{PACKAGED_FILE} of the {PACKAGE} package is not installed (requirements/base.txt pins it)"
    )
