"""The printed certificate, with the packaged Japanese font embedded; read back with poppler-utils
(pdftotext, pdffonts, pdfinfo, pdftoppm: the pdf_text tests) and its QR code decoded from the
rendered page with zxing-cpp."""

import dataclasses
import datetime as dt
import pathlib
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from core.fonts import japanese_font_path
from points.certificate_pdf import CertificateDocument, certificate_pdf_render, duration_label
from points.credentials import Activity
from tests.pdf_fonts import embedded_families, font_names, not_embedded

FONT = japanese_font_path()
VERIFICATION_URL = "https://volunteer.example.jp/certificates/verify/KV-2025-000123"
ACTIVITIES = (
    Activity(
        date=dt.date(2025, 6, 8), place="白川河川敷", content="河川清掃", minutes=150, organiser="白川の会"
    ),
    Activity(
        date=dt.date(2025, 9, 20),
        place="健軍商店街 & 広場",
        content="夏祭りの受付 <案内>",
        minutes=240,
        organiser="健軍校区自治協議会",
    ),
    Activity(
        date=dt.date(2025, 10, 5), place="北区のサロン", content="お茶会", minutes=45, organiser="北区社協"
    ),
)
DOCUMENT = CertificateDocument(
    title="活動証明書",
    fiscal_year_label="令和7年度（2025年度）",
    recipient_name="熊本 花子",
    activities=ACTIVITIES,
    total_minutes=435,
    issuing_body="熊本市ボランティアセンター",
    issued_on_label="令和7年11月27日（2025年11月27日）",
    serial="KV-2025-000123",
    verification_url=VERIFICATION_URL,
)


def poppler(tool: str, *arguments: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils")
    return subprocess.run([tool, *arguments], check=True, capture_output=True, text=True).stdout  # noqa: S603 - fixed tool, our own file


def render(path: pathlib.Path, document: CertificateDocument = DOCUMENT) -> pathlib.Path:
    path.write_bytes(certificate_pdf_render(document=document, font_path=FONT))
    return path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return render(tmp_path_factory.mktemp("pdf") / "certificate.pdf")


@pytest.mark.pdf_text
def test_the_certificate_reads_back_with_name_hours_and_serial(certificate: pathlib.Path) -> None:
    text = poppler("pdftotext", "-layout", str(certificate), "-")

    for expected in (
        "活動証明書",
        "熊本 花子",
        "令和7年度（2025年度）",
        "2時間30分",
        "4時間",
        "45分",
        "証明書番号",
        "KV-2025-000123",
        "熊本市ボランティアセンター",
        "令和7年11月27日（2025年11月27日）",
        "この証明書の真正性は右のQRコードから確認できます",
        "健軍商店街 & 広場",
        "夏祭りの受付 <案内>",
    ):
        assert expected in text, expected
    assert re.search(r"熊本 花子\s*様", text)
    assert re.search(r"活動時間の合計\s*7時間15分", text)
    assert [heading in text for heading in ("日付", "場所", "活動内容", "時間", "主催")] == [True] * 5


def test_the_packaged_japanese_font_is_embedded_whatever_the_machine_has_installed() -> None:
    pdf = certificate_pdf_render(document=DOCUMENT, font_path=FONT)

    assert pdf.startswith(b"%PDF-")
    assert (embedded_families(pdf), not_embedded(pdf)) == ({"IPAexGothic"}, set()), font_names(pdf)


@pytest.mark.pdf_text
def test_the_japanese_font_is_embedded_and_no_font_is_left_out(certificate: pathlib.Path) -> None:
    rows = poppler("pdffonts", str(certificate)).splitlines()[2:]

    fonts = {row.split()[0]: row.split()[-5] for row in rows}
    assert [name for name in fonts if name.endswith("+IPAexGothic")], fonts
    assert set(fonts.values()) == {"yes"}, fonts


def test_two_renders_give_identical_bytes() -> None:
    assert certificate_pdf_render(document=DOCUMENT, font_path=FONT) == certificate_pdf_render(
        document=DOCUMENT, font_path=FONT
    )


@pytest.mark.pdf_text
def test_a_long_table_flows_onto_further_pages_with_its_headings(tmp_path: pathlib.Path) -> None:
    days = [dt.date(2025, 4, 1) + dt.timedelta(days=7 * week) for week in range(40)]
    activities = tuple(
        Activity(date=day, place="中央区", content="公園清掃", minutes=90, organiser="中央区社協")
        for day in days
    )
    long = render(
        tmp_path / "long.pdf", dataclasses.replace(DOCUMENT, activities=activities, total_minutes=3600)
    )

    page_count = re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(long)))
    assert page_count
    pages = int(page_count.group(1))
    text = poppler("pdftotext", "-layout", str(long), "-")
    assert pages > 1
    assert text.count("\f") == pages
    table_pages = [page for page in text.split("\f") if "公園清掃" in page]
    assert len(table_pages) > 1
    assert all("活動内容" in page for page in table_pages)
    assert all(f"{day.year}年{day.month}月{day.day}日" in text for day in days)
    assert re.search(r"活動時間の合計\s*60時間", text)


@pytest.mark.pdf_text
def test_the_qr_code_on_the_page_decodes_to_the_verification_url(
    certificate: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    poppler("pdftoppm", "-png", "-r", "100", "-singlefile", str(certificate), str(tmp_path / "page"))

    with Image.open(tmp_path / "page.png") as page:
        decoded = [(code.format, code.text) for code in zxingcpp.read_barcodes(page)]
    assert decoded == [(zxingcpp.BarcodeFormat.QRCode, VERIFICATION_URL)]


@pytest.mark.parametrize(
    ("minutes", "label"), [(150, "2時間30分"), (120, "2時間"), (45, "45分"), (0, "0分"), (605, "10時間5分")]
)
def test_durations_read_as_hours_and_minutes(minutes: int, label: str) -> None:
    assert duration_label(minutes=minutes) == label
