"""The Japanese font comes with the Python requirements, found without importing matplotlib."""

import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from core.fonts import JapaneseFontMissing, japanese_font_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_packaged_font_is_ipaexgothic_truetype_with_its_licence() -> None:
    path = japanese_font_path()

    assert path.parts[-3:] == ("matplotlib_fontja", "fonts", "ipaexg.ttf")
    assert "site-packages" in path.parts
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, which reportlab embeds
    assert TTFont("FontsTest-IPAexGothic", str(path)).face.name == b"IPAexGothic"
    assert (path.parent / "IPA_Font_License_Agreement_v1.0.txt").is_file()


def test_finding_the_font_imports_neither_matplotlib_nor_django() -> None:
    code = (
        "import sys; from core.fonts import japanese_font_path; path = japanese_font_path();"
        " print(path.is_file(), [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'django')])"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert run.stdout.split(maxsplit=1) == ["True", "[]\n"]


def test_an_override_that_exists_is_used(tmp_path: Path) -> None:
    copy = tmp_path / "city-font.ttf"
    copy.write_bytes(japanese_font_path().read_bytes())

    assert japanese_font_path(override=str(copy)) == copy
    assert japanese_font_path(override="") == japanese_font_path()


def test_an_override_naming_no_file_is_refused_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(JapaneseFontMissing, match=r"missing\.ttf does not exist"):
        japanese_font_path(override=tmp_path / "missing.ttf")
