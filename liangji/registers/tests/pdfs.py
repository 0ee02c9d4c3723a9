"""What a PDF holds: its text and the fonts embedded in it (for the document tests)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from liangji.registers.pdf import SANS, SERIF

# WeasyPrint names an embedded font after its family, behind a subset tag ("ABCDEF+").
BUNDLED = {SERIF.replace(" ", "-"), SANS.replace(" ", "-")}


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "").replace(" ", "")


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of every font of every page, without the subset tag and the style."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            name = str(ref.get_object()["/BaseFont"]).lstrip("/")
            name = name.split("+", 1)[-1]
            names.add(name.removesuffix("-Bold"))
    return names


def pdf_assert_readable(content: bytes, *words: str) -> None:
    """The Chinese words can be extracted, and only the bundled fonts are embedded."""
    text = pdf_text(content)
    missing = [word for word in words if word not in text]
    assert not missing, f"not in the PDF text: {missing}"
    fonts = pdf_fonts(content)
    assert fonts and fonts <= BUNDLED, f"fonts embedded: {fonts}"
