"""The fonts a PDF names, read from its bytes, so that checking the embedded Japanese font needs no
poppler-utils. reportlab writes font dictionaries uncompressed; an embedded TrueType subset is
named with a six-letter tag (`AAAAAA+IPAexGothic`) and carries its file as /FontFile2."""

import re

BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")
SUBSET = re.compile(r"[A-Z]{6}\+(.+)")


def font_names(pdf: bytes) -> set[str]:
    return {name.decode() for name in BASE_FONT.findall(pdf)}


def embedded_families(pdf: bytes) -> set[str]:
    """The families of the subsets the PDF embeds, each with its font file."""
    subsets = [match for name in font_names(pdf) if (match := SUBSET.fullmatch(name))]
    if pdf.count(b"/FontFile2") < len(subsets):
        return set()
    return {match.group(1) for match in subsets}


def not_embedded(pdf: bytes) -> set[str]:
    return {name for name in font_names(pdf) if not SUBSET.fullmatch(name)}
