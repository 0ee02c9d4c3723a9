"""What every official document liangji writes shares, after GB/T 9704-2012 (党政机关公文格式).

- `date_arabic`: dates in Arabic numerals, year in full, month and day without a leading zero
  (§7.3.5.1: 2024年9月30日, never 二〇二四年九月三十日 nor 2024年09月30日).
- `full_width`: ASCII punctuation typed into Chinese text becomes the full-width mark.
- `docx_document`: a Word file on A4 with the standard's margins and its page numbers in the
  footer (§7.5): 4号 半角宋体 Arabic numerals between 一字线 ("— 1 —"), odd pages on the
  right and even pages on the left, each 空一字 from the edge of the text block, as PAGE fields
  that Word and LibreOffice number themselves.

The PDFs follow the same rules in their templates and print through `registers.pdf`.
"""

from __future__ import annotations

import datetime
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE = Pt(14)  # 4号

_FULL_WIDTH = str.maketrans(
    {"(": "\uff08", ")": "\uff09", ",": "\uff0c", ":": "\uff1a", ";": "\uff1b"}
)


def date_arabic(day: datetime.date) -> str:
    """2024年9月30日: Arabic numerals, without leading zeros (GB/T 9704-2012 §7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def date_arabic_month(day: datetime.date) -> str:
    """2024年9月: a month named in a title or a sentence, in the same numerals."""
    return f"{day.year}年{day.month}月"


def full_width(text: str) -> str:
    """Chinese text with ASCII ( ) , : ; turned into （ ）， ： ；. For text a user typed: the
    code writes its own sentences in full-width marks."""
    return text.translate(_FULL_WIDTH)


def docx_document(*, page_numbers: bool = True) -> Any:
    """A new Word document: A4, margins 37/35/28/26 mm (版心 156 × 225 mm), page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    if page_numbers:
        docx_page_numbers(document)
    return document


def docx_page_numbers(document: Any) -> None:
    """ "— n —" in every section's footers: right on odd pages, left on even ones."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        # The 一字线 sit 7 mm below the text block: a 14 pt line (about 5 mm) ends 23 mm
        # above the paper's edge when the bottom margin is 35 mm.
        section.footer_distance = Mm(23)
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Any, align: Any) -> None:
    paragraph.alignment = align
    indent = Pt(14)  # 空一字 from the edge of the text block
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    _footer_run(paragraph, "— ")
    # A complex field (begin, instruction, separate, result, end): Word and LibreOffice both
    # replace the result "1" with the page's own number.
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"),
                       ("end", "")):  # fmt: skip
        run = _footer_run(paragraph, "")
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _footer_run(paragraph, " —")


def _footer_run(paragraph: Any, text: str) -> Any:
    run = paragraph.add_run(text)
    run.font.size = PAGE_NUMBER_SIZE
    run.font.name = PAGE_NUMBER_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
    return run
