"""The printed 识字测验卷： one page per learner, characters drawn from a standard list of
common characters, for the examiner to mark what the learner reads aloud.

The list is the 3,755 一级汉字 （常用汉字） of GB 2312-1980《信息交换用汉字编码字符集 基本集》，
rows 16–55 of the standard, read from Python's own gb2312 codec rather than shipped as a file.
A learner reads SAMPLE_SIZE characters drawn from it; the share read correctly, times the size
of the list, estimates the characters known, so the pass mark on the sheet is the standard
(1,500 in a 村， 2,000 in a 社区） scaled to the sample. The draw is seeded by the learner and
the date, so a sheet printed twice is the same sheet.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from dataclasses import dataclass

from django.template.loader import render_to_string

from liangji.literacy.models import ClassMember, LiteracyClass
from liangji.literacy.rules import characters_standard
from liangji.registers.official import date_arabic
from liangji.registers.pdf import pdf_render
from liangji.registers.services import town_settings_get

SOURCE = "GB 2312-1980《信息交换用汉字编码字符集 基本集》一级汉字（常用汉字）"
SAMPLE_SIZE = 100
PER_ROW = 10


@functools.cache
def common_characters() -> tuple[str, ...]:
    """The 一级汉字 of GB 2312 in the standard's order (by pinyin): rows 16–55, 94 cells a row,
    the last five cells of row 55 unassigned."""
    found = []
    for row in range(16, 56):
        for cell in range(1, 95):
            try:
                found.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return tuple(found)


@dataclass(frozen=True)
class TestSheet:
    name: str
    sex: str
    village: str
    class_name: str
    date_text: str
    standard: int
    pass_mark: int  # correct readings out of SAMPLE_SIZE that estimate the standard
    rows: list[list[str]]


def sheet_for(member: ClassMember, *, date: datetime.date, standard: int) -> TestSheet:
    pool = common_characters()
    drawn = random.Random(f"{member.pk}:{date.isoformat()}").sample(pool, SAMPLE_SIZE)
    return TestSheet(
        name=member.person.name,
        sex=member.person.sex,
        village=member.klass.village.name,
        class_name=member.klass.name,
        date_text=date_arabic(date),
        standard=standard,
        pass_mark=math.ceil(standard * SAMPLE_SIZE / len(pool)),
        rows=[drawn[i : i + PER_ROW] for i in range(0, SAMPLE_SIZE, PER_ROW)],
    )


def class_sheets_pdf(klass: LiteracyClass, *, date: datetime.date) -> bytes:
    """A page per learner still in the class (graduates are not tested again here)."""
    standard = characters_standard(klass.village, town_settings_get(klass.town))
    members = klass.members.filter(in_open_class=True).select_related("person").order_by("id")
    sheets = [sheet_for(m, date=date, standard=standard) for m in members]
    html = render_to_string(
        "literacy/test_sheet_pdf.html",
        {"sheets": sheets, "source": SOURCE, "size": SAMPLE_SIZE, "pool": len(common_characters())},
    )
    return pdf_render(html)
