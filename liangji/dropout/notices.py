"""The two notices to the guardians, as Word and PDF, in the layout of GB/T 9704 (党政机关公文格式).

The text is composed once (`notice_text`) and laid out twice: python-docx builds the Word file
in code, WeasyPrint prints the PDF from an HTML template. Layout from the standard: A4, margins
37/35/28/26 mm; red 发文机关标志 over a red rule with the 发文字号 above it; title in 2号 小标宋;
body in 3号 仿宋 (16 pt) with 28-point lines; signature and the date written in Chinese.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from liangji.dropout.models import Notice, NoticeKind
from liangji.registers.pdf import pdf_render

RED = "C00000"
# Word on the office PCs has 仿宋 and 宋体; the PDF is printed with the bundled Noto Serif SC
# (registers/pdf.py: no open 仿宋 face is published on a package registry).
DOCX_BODY_FONT = "仿宋"
DOCX_TITLE_FONT = "宋体"

_DIGITS = "〇一二三四五六七八九"


def _number_chinese(n: int) -> str:
    """1–31 as written in dates: 十, 十一, 二十, 二十一, 三十一."""
    tens, units = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return text + (_DIGITS[units] if units else "")


def date_chinese(day: datetime.date) -> str:
    """二〇二四年十月八日 (GB/T 9704 §7.3.5.3 writes the 成文日期 in Chinese numerals)."""
    year = "".join(_DIGITS[int(ch)] for ch in str(day.year))
    return f"{year}年{_number_chinese(day.month)}月{_number_chinese(day.day)}日"


# Official documents use full-width punctuation; the code writes ASCII for readability.
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


def _full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def _date_plain(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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


def notice_text(notice: Notice) -> NoticeText:
    case = notice.case
    guardians = list(case.guardians.all())
    addressee = (
        "、".join(f"{g.name}({g.relation})" for g in guardians) or f"{case.child_name}的监护人"
    )
    pupil = f"{case.child_name}({case.child_sex or '—'},"
    pupil += (
        f"{_date_plain(case.child_birth_date)}出生)" if case.child_birth_date else "出生日期不详)"
    )
    school = case.school.name if case.school is not None else "学校"
    grade = f"{case.grade}年级" if case.grade else ""
    since = _date_plain(case.absent_since or case.opened_on)
    return_by = _date_plain(notice.return_by)
    if notice.kind == NoticeKind.RETURN:
        title = "劝返回校通知书"
        paragraphs = [
            f"你的子女{pupil}系{school}{grade}学生,自{since}起未到校上课。"
            "学校和村(社区)已多次上门家访、联合劝返,至今仍未返校。",
            "根据《中华人民共和国义务教育法》第五条、第十一条的规定,适龄儿童、少年的父母或者"
            "其他法定监护人应当依法保证其按时入学接受并完成义务教育。"
            f"现通知你,请于{return_by}前送子女返校就读。逾期仍未返校的,"
            f"学校将报请{case.town.name}人民政府依法责令限期改正。",
        ]
    else:
        title = "限期返校通知书"
        earlier = case.notices.filter(kind=NoticeKind.RETURN).order_by("issued_on").first()
        served = (
            f"{earlier.issuer}已于{_date_plain(earlier.issued_on)}向你送达"
            f"《劝返回校通知书》({earlier.number}),"
            if earlier is not None
            else "经学校和村(社区)多次劝返,"
        )
        paragraphs = [
            f"你的子女{pupil}系{school}{grade}学生,自{since}起辍学在家。{served}至今仍未返校。",
            "《中华人民共和国义务教育法》第五十八条规定:适龄儿童、少年的父母或者其他法定监护人"
            "无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的,由当地乡镇人民政府或者"
            "县级人民政府教育行政部门给予批评教育,责令限期改正。",
            f"据此,本府责令你于{return_by}前送子女到{school}返校就读。"
            "逾期仍不改正的,将依法采取进一步措施。",
        ]
    contacts = (
        f"联系人:{case.school_person} {case.school_person_phone}".rstrip()
        + f";{case.village_person} {case.village_person_phone}".rstrip()
    )
    village = ""
    if case.village is not None:
        committee = "居民委员会" if case.village.kind == "社区" else "村民委员会"
        village = case.village.name + committee
    # Copies go to the other responsible units, not to the issuer itself.
    copy_to = "、".join(
        x for x in (school if case.school else "", village) if x and x != notice.issuer
    )
    return NoticeText(
        issuer=notice.issuer,
        number=notice.number,
        title=title,
        addressee=_full_width(f"{addressee}:"),
        paragraphs=[_full_width(p) for p in paragraphs],
        contacts=_full_width(contacts),
        signature=notice.issuer,
        date_text=date_chinese(notice.issued_on),
        copy_to=_full_width(copy_to),
    )


def notice_pdf(notice: Notice) -> bytes:
    html = render_to_string("dropout/notice_pdf.html", {"text": notice_text(notice)})
    return pdf_render(html)


def notice_docx(notice: Notice) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    text = notice_text(notice)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

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
    paragraph(text.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=42)
    paragraph(text.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if text.copy_to:
        paragraph(f"抄送：{text.copy_to}", size=14, space_before=28)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
