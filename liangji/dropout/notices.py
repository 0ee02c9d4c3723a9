"""The two notices to the guardians, as Word and PDF, in the layout of GB/T 9704 (党政机关公文格式).

The text is composed once (`notice_text`) and laid out twice: python-docx builds the Word file
in code, WeasyPrint prints the PDF from an HTML template. Layout from the standard: A4, margins
37/35/28/26 mm; red 发文机关标志 over a red rule with the 发文字号 above it; title in 2号 小标宋;
body in 3号 仿宋 (16 pt) with 28-point lines; the issuer centred over the 成文日期, written in
Arabic numerals (GB/T 9704-2012 §7.3.5); page numbers right on odd pages, left on even ones.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from liangji.dropout.models import CaseKind, Notice, NoticeKind
from liangji.registers.official import date_arabic, docx_document, full_width
from liangji.registers.pdf import pdf_render

RED = "C00000"
# Word on the office PCs has 仿宋 and 宋体; the PDF is printed with the bundled Noto Serif SC
# (registers/pdf.py: no open 仿宋 face is published on a package registry).
DOCX_BODY_FONT = "仿宋"
DOCX_TITLE_FONT = "宋体"


def _width(text: str) -> float:
    """Width in characters of the body size: Arabic digits and Latin letters are half wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


@dataclass(frozen=True)
class NoticeText:
    issuer: str
    number: str
    title: str
    addressee: str
    paragraphs: list[str]
    contacts: str
    signature: str
    date_text: str
    copy_to: str


def notice_title(notice: Notice) -> str:
    """The title fits the child: a 失学 child is to be enrolled, not brought back."""
    never_enrolled = notice.case.kind == CaseKind.NEVER_ENROLLED
    if notice.kind == NoticeKind.RETURN:
        if never_enrolled:
            return "督促入学通知书"
        return "劝返回校通知书" if notice.case.school is not None else "劝返复学通知书"
    return "限期入学通知书" if never_enrolled else "限期返校通知书"


def _situation(notice: Notice, pupil: str, since: str) -> str:
    """Who the child is and since when out of school, without ever inventing a school."""
    case = notice.case
    if case.kind == CaseKind.NEVER_ENROLLED:
        return f"你的子女{pupil}是{case.town.name}的适龄儿童、少年，至今未入学接受义务教育。"
    if case.school is None:
        return f"你的子女{pupil}自{since}起未接受义务教育。"
    grade = f"{case.grade}年级" if case.grade else ""
    absent = "未到校上课" if notice.kind == NoticeKind.RETURN else "辍学在家"
    return f"你的子女{pupil}系{case.school.name}{grade}学生，自{since}起{absent}。"


def _demand(notice: Notice, return_by: str) -> str:
    case = notice.case
    if case.kind == CaseKind.NEVER_ENROLLED:
        return f"于{return_by}前送子女到就近学校办理入学手续，入学就读"
    if case.school is None:
        return f"于{return_by}前送子女返校复学"
    return f"于{return_by}前送子女到{case.school.name}返校就读"


def notice_text(notice: Notice) -> NoticeText:
    case = notice.case
    guardians = list(case.guardians.all())
    addressee = (
        "、".join(f"{g.name}（{g.relation}）" for g in guardians) or f"{case.child_name}的监护人"
    )
    pupil = f"{case.child_name}（{case.child_sex or '—'}，"
    pupil += (
        f"{date_arabic(case.child_birth_date)}出生）" if case.child_birth_date else "出生日期不详）"
    )
    since = date_arabic(case.absent_since or case.opened_on)
    return_by = date_arabic(notice.return_by)
    situation = _situation(notice, pupil, since)
    by_town = notice.issuer_unit_id is not None and notice.issuer_unit_id == case.town_id
    law = (
        "根据《中华人民共和国义务教育法》第五条、第十一条的规定，适龄儿童、少年的父母或者"
        "其他法定监护人应当依法保证其按时入学接受并完成义务教育。"
    )
    if notice.kind == NoticeKind.RETURN:
        if case.school is not None and case.kind != CaseKind.NEVER_ENROLLED:
            situation += "学校和村（社区）已多次上门家访、联合劝返，至今仍未返校。"
        elif case.kind != CaseKind.NEVER_ENROLLED:
            situation += "村（社区）已多次上门家访、劝返，至今仍未复学。"
        further = (
            "本府将依法责令限期改正"
            if by_town
            else (f"学校将报请{case.town.name}人民政府依法责令限期改正")
        )
        paragraphs = [
            situation,
            f"{law}现通知你，请{_demand(notice, return_by)}。逾期仍不履行的，{further}。",
        ]
    else:
        earlier = case.notices.filter(kind=NoticeKind.RETURN).order_by("issued_on").first()
        proof = earlier.services.order_by("served_on").first() if earlier is not None else None
        served = (
            f"{earlier.issuer}已于{date_arabic(proof.served_on if proof else earlier.issued_on)}"
            f"向你{'送达' if proof else '发出'}《{notice_title(earlier)}》（{earlier.number}），"
            if earlier is not None
            else "经多次劝返，"
        )
        still = "入学" if case.kind == CaseKind.NEVER_ENROLLED else "返校"
        paragraphs = [
            f"{situation}{served}至今仍未{still}。",
            "《中华人民共和国义务教育法》第五十八条规定：适龄儿童、少年的父母或者其他法定监护人"
            "无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，由当地乡镇人民政府或者"
            "县级人民政府教育行政部门给予批评教育，责令限期改正。",
            f"据此，本府责令你{_demand(notice, return_by)}。逾期仍不改正的，将依法采取进一步措施。",
        ]
    contacts = "联系人：" + "；".join(
        f"{name} {phone}".strip()
        for name, phone in (
            (case.school_person, case.school_person_phone),
            (case.village_person, case.village_person_phone),
        )
        if name
    )
    village = ""
    if case.village is not None:
        committee = "居民委员会" if case.village.kind == "社区" else "村民委员会"
        village = case.village.name + committee
    # Copies go to the other responsible units, not to the issuer itself.
    school = case.school.name if case.school is not None else ""
    copy_to = "、".join(x for x in (school, village) if x and x != notice.issuer)
    return NoticeText(
        issuer=notice.issuer,
        number=notice.number,
        title=notice_title(notice),
        addressee=full_width(f"{addressee}:"),
        paragraphs=[full_width(p) for p in paragraphs],
        contacts=full_width(contacts),
        signature=notice.issuer,
        # GB/T 9704-2012 §7.3.5.1: the 成文日期 in Arabic numerals, year, month and day in full.
        date_text=date_arabic(notice.issued_on),
        copy_to=full_width(copy_to),
    )


def notice_pdf(notice: Notice) -> bytes:
    html = render_to_string("dropout/notice_pdf.html", {"text": notice_text(notice)})
    return pdf_render(html)


def notice_docx(notice: Notice) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    text = notice_text(notice)
    document = docx_document()

    def paragraph(
        content: str,
        *,
        font: str = DOCX_BODY_FONT,
        size: float = 16,
        bold: bool = False,
        color: str | None = None,
        align: Any = None,
        indent: bool = False,
        space_before: float = 0,
        space_after: float = 0,
    ):  # type: ignore[no-untyped-def]
        para = document.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing = Pt(28)
        fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
        if align is not None:
            para.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        run = para.add_run(content)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = font
        # East-Asian text takes the eastAsia font, not the Latin one that `font.name` sets.
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return para

    paragraph(
        text.issuer,
        font=DOCX_TITLE_FONT,
        size=36,
        bold=True,
        color=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=12,
        space_after=24,
    )
    number = paragraph(text.number, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    # The red rule under the 发文字号: a bottom border on its paragraph.
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "6", "w:color": RED}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    number._p.get_or_add_pPr().append(borders)
    paragraph(
        text.title,
        font=DOCX_TITLE_FONT,
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=28,
        space_after=14,
    )
    paragraph(text.addressee)
    for body in text.paragraphs:
        paragraph(body, indent=True)
    paragraph(text.contacts, indent=True)
    # GB/T 9704 §7.3.5.1: the date 4 characters from the right, the issuer centred above it.
    date_width, sign_width = _width(text.date_text), _width(text.signature)
    sign = paragraph(text.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=42)
    sign.paragraph_format.right_indent = Pt(16 * max(4 + (date_width - sign_width) / 2, 0))
    date = paragraph(text.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(16 * 4)
    if text.copy_to:
        paragraph(f"抄送：{text.copy_to}", size=14, space_before=28)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
