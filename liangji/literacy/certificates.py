"""The 脱盲证书 as Word and PDF.

The text is composed once (`certificate_text`) and laid out twice, as the notices of 控辍保学
are: python-docx builds the Word file, WeasyPrint prints the PDF from an HTML template in the
bundled fonts (`registers.pdf`). Conventions of GB/T 9704-2012: A4 with its margins, the title
in 小标宋, the body in 3号 仿宋 (16 pt) on 28-point lines, the issuing government and the date
at the foot, the date in Arabic numerals (2024年6月5日, §7.3.5.3 of the 2012 edition).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from liangji.literacy.models import Certificate
from liangji.registers.choices import UnitKind
from liangji.registers.official import date_arabic, docx_document, full_width
from liangji.registers.pdf import pdf_render

DOCX_BODY_FONT, DOCX_TITLE_FONT = "仿宋", "方正小标宋简体"


def issuer_of(town: Any) -> str:
    """The 乡(镇)人民政府 or 街道办事处 that issues the certificate (domain §4)."""
    if town.kind == UnitKind.SUBDISTRICT:
        return f"{town.name}办事处"
    return f"{town.name}人民政府"


@dataclass(frozen=True)
class CertificateText:
    title: str
    number: str
    holder: str  # the person's line: name, sex, birth date, village
    paragraphs: list[str]
    issuer: str
    date_text: str


def certificate_text(certificate: Certificate) -> CertificateText:
    person, village = certificate.person, certificate.village
    result = certificate.result
    resident = "居民" if village.kind == UnitKind.COMMUNITY else "村民"
    holder = (
        f"{person.name}，{person.sex}，{date_arabic(person.birth_date)}出生，"
        f"{village.name}{resident}。"
    )
    body = (
        f"经{date_arabic(certificate.passed_on)}考核，识字{result.characters_known}个"
        f"（脱盲标准{result.standard}个），能够看懂浅显通俗的报刊、文章，能够记简单的账，"
        "能够书写简单的应用文，"
        "达到国务院《扫除文盲工作条例》规定的脱盲标准，准予脱盲，特发此证。"
    )
    return CertificateText(
        title="脱盲证书",
        number=certificate.number,
        holder=full_width(holder),
        paragraphs=[full_width(body)],
        issuer=issuer_of(certificate.town),
        date_text=date_arabic(certificate.issued_on),
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    html = render_to_string(
        "literacy/certificate_pdf.html", {"text": certificate_text(certificate)}
    )
    return pdf_render(html)


def certificate_docx(certificate: Certificate) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    text = certificate_text(certificate)
    # A certificate is one sheet handed to its holder, not a 公文 of numbered pages: no page
    # number, as on its PDF.
    document = docx_document(page_numbers=False)

    def paragraph(content: str, *, font: str = DOCX_BODY_FONT, size: float = 16,
                  align: Any = None, indent: bool = False, before: float = 0) -> None:  # fmt: skip
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing, fmt.space_before = Pt(28), Pt(before)
        if align is not None:
            para.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        run = para.add_run(content)
        run.font.size, run.font.name = Pt(size), font
        # East-Asian text takes the eastAsia font, not the Latin one that `font.name` sets.
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(text.title, font=DOCX_TITLE_FONT, size=36, align=center, before=24)
    paragraph(text.number, align=center, before=6)
    paragraph(text.holder, before=28)
    for body in text.paragraphs:
        paragraph(body, indent=True)
    paragraph(text.issuer, align=right, before=56)
    paragraph(text.date_text, align=right)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
