"""The register lists (人口, 户, 学籍) as Excel, with the page's filters applied, scoped by the
selectors that feed the pages, ID numbers masked, every value written as text or number through
the shared writer (never a formula), and every export in the audit log."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import Acting, audit_record
from liangji.registers.models import Enrollment, Household, PersonRecord
from liangji.registers.privacy import mask_id
from liangji.registers.spreadsheets import HEADER_STYLE, TITLE_STYLE, cells, workbook_open

if TYPE_CHECKING:
    pass


PERSON_HEADER = [
    "村/社区",
    "户号",
    "姓名",
    "性别",
    "出生日期",
    "年龄",
    "身份证号",
    "人口类型",
    "户籍状态",
    "文化程度",
    "残疾类别",
    "在外就读学校",
    "在外就读学段",
    "备注",
]
HOUSEHOLD_HEADER = ["村/社区", "户号", "人数", "成员"]
ROLL_HEADER = [
    "学校",
    "学籍号",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "户籍村",
    "年级",
    "班级",
    "学籍状态",
    "变动日期",
    "转入学校",
]


def _age(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _workbook(
    title: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    book = workbook_open(buffer, constant_memory=True)
    sheet = cells(book, title)
    sheet.write(0, 0, title, book.add_format(TITLE_STYLE))
    sheet.row(1, 0, header, book.add_format(HEADER_STYLE))
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.row(count + 1, 0, row)
    sheet.sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue(), count


def person_rows(records: Iterable[PersonRecord], day: datetime.date) -> Iterable[list[object]]:
    for r in records:
        p = r.person
        yield [
            r.village.name,
            r.household.number,
            p.name,
            p.sex,
            p.birth_date.isoformat(),
            _age(p.birth_date, day),
            mask_id(p.id_number),
            r.population_type,
            r.hukou_status,
            r.education_level,
            r.disability,
            r.elsewhere_school,
            r.elsewhere_level,
            r.note,
        ]


def household_rows(households: Iterable[Household]) -> Iterable[list[object]]:
    for h in households:
        members = getattr(h, "year_members", [])
        names = "、".join(m.person.name for m in members)
        yield [h.village.name, h.number, len(members), names]


def roll_rows(rolls: Iterable[Enrollment]) -> Iterable[list[object]]:
    for e in rolls:
        yield [
            e.school.name,
            e.student_number,
            e.name,
            e.sex,
            e.birth_date.isoformat(),
            mask_id(e.id_number),
            e.hukou_village,
            e.grade,
            e.class_name,
            e.status,
            e.status_date.isoformat() if e.status_date else "",
            e.transfer_school,
        ]


@transaction.atomic
def register_list_export(
    *,
    what: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    school_year: int,
    filters: dict[str, Any],
    user: Acting | None,
) -> bytes:
    """The workbook of one register list and the audit row of its export."""
    content, count = _workbook(f"{school_year}学年{what}", header, rows)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="RegisterList",
        entity_id=what,
        summary=f"导出 {school_year} 学年{what}列表 {count} 行",
        after={"filters": filters},
    )
    return content
