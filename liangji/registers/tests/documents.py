"""What an official document holds, read back from its Word or PDF file (for the tests)."""

from __future__ import annotations

import datetime
import io
import re

from docx import Document
from docx.oxml.ns import qn

from liangji.registers.tests.pdfs import pdf_text

# A date in Chinese numerals (二〇二四年九月三十日) or with a leading zero (2024年09月30日).
CHINESE_NUMERAL_DATE = re.compile(r"[〇零一二三四五六七八九十]{2,4}年[一二三四五六七八九十]{1,2}月")
PADDED_DATE = re.compile(r"\d{4}年0\d月|\d{4}年\d{1,2}月0\d日")


def docx_text(content: bytes) -> str:
    """Paragraphs and table cells, without spaces and line breaks (as `pdf_text`)."""
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "".join([p.text for p in document.paragraphs] + cells)
    return text.replace("\n", "").replace(" ", "")


def docx_footer_fields(content: bytes) -> list[tuple[str, str]]:
    """(footer, field instruction) of every field in the odd and even page footers."""
    document = Document(io.BytesIO(content))
    found = []
    for section in document.sections:
        for name, footer in (("odd", section.footer), ("even", section.even_page_footer)):
            for node in footer._element.iter(qn("w:instrText")):
                found.append((name, (node.text or "").strip()))
    return found


def document_text(content: bytes, fmt: str) -> str:
    return docx_text(content) if fmt == "docx" else pdf_text(content)


def dates_assert_arabic(text: str, *days: datetime.date) -> None:
    """Each date is written 2024年9月30日 and no date is in Chinese numerals or zero-padded."""
    for day in days:
        expected = f"{day.year}年{day.month}月{day.day}日"
        assert expected in text, f"{expected} not in the document"
    assert not CHINESE_NUMERAL_DATE.search(text), CHINESE_NUMERAL_DATE.search(text)
    assert not PADDED_DATE.search(text), PADDED_DATE.search(text)
