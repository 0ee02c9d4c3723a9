"""Conflicts of an import: what the file would change although a user saved it since.

A record edited in the application after the last import (its `edited_at` is set by the
register services) is kept as it is unless the user chooses to overwrite it; so is a valid ID
number the file would replace with a different one. Each conflict names the row, the person
and every value on which the file and the register disagree, so that the user can choose.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Field, Model
from django.utils import timezone

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS
from liangji.imports.parsing import CellError, id_number_parse
from liangji.imports.validation import PersonRow, PupilRow
from liangji.registers.models import Enrollment, PersonRecord
from liangji.registers.services import PERSON_RECORD_EDITABLE

OVERWRITE_HINT = (
    "如确认以文件为准，请在命令后加 --overwrite-edits（网页上勾选“以文件内容覆盖”）重新导入"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    sheet: str
    row: int  # Excel row of the file; 0: the record is missing from the file (would be deleted)
    who: str
    what: str

    def line(self) -> str:
        where = f"{self.sheet}表第 {self.row} 行" if self.row else f"{self.sheet}表中没有"
        return f"{where} {self.who}：{self.what}"

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "who": self.who, "what": self.what}


def shown(value: object) -> str:
    if value is None or value == "" or value == ():
        return "空"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a concrete column
    return str(field.verbose_name)


def _edited(at: datetime.datetime | None) -> str:
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "上次导入后"
    return f"在系统中修改过（{when}）"


def _differences(model: type[Model], names: Iterable[str], stored: Any, row: Any) -> list[str]:
    return [
        f"{_label(model, name)} 系统为 {shown(getattr(stored, name))}，"
        f"文件为 {shown(getattr(row, name))}"
        for name in names
        if getattr(stored, name) != getattr(row, name)
    ]


# The fields of a yearly record the application edits are the ones compared.
RECORD_COMPARED = PERSON_RECORD_EDITABLE
ENROLLMENT_COMPARED = (
    "student_number",
    "name",
    "sex",
    "birth_date",
    "grade",
    "class_name",
    "entry_date",
    "status",
    "status_date",
    "transfer_school",
)


def record_conflicts(
    changed: list[tuple[int, int]], removed: list[int], people: list[PersonRow]
) -> list[Conflict]:
    """(index of the file row, record pk) of edited records the file changes, and the pks of
    edited records the file no longer holds; a handful, so they are read in full."""
    pks = [pk for _, pk in changed] + removed
    stored = {
        record.pk: record
        for record in PersonRecord.objects.filter(pk__in=pks).select_related(
            "person", "village", "household"
        )
    }
    conflicts = []
    for index, pk in changed:
        record, row = stored[pk], people[index]
        differences = _differences(PersonRecord, RECORD_COMPARED, record, row)
        if record.household.number != row.household or record.village.name != row.village:
            differences.append(
                f"户 系统为 {record.village.name}{record.household.number}户，"
                f"文件为 {row.village}{row.household}户"
            )
        conflicts.append(
            Conflict(
                SHEET_PEOPLE,
                row.row,
                f"{record.person.name}（{record.village.name}）",
                _edited(record.edited_at) + ":" + (";".join(differences) or "特殊群体不同"),
            )
        )
    for pk in removed:
        record = stored[pk]
        conflicts.append(
            Conflict(
                SHEET_PEOPLE,
                0,
                f"{record.person.name}（{record.village.name} {record.household.number}户）",
                _edited(record.edited_at) + "，文件中没有这个人；导入会删除这条人口记录",
            )
        )
    return conflicts


def enrollment_conflicts(
    changed: list[tuple[int, int]], removed: list[int], pupils: list[PupilRow]
) -> list[Conflict]:
    pks = [pk for _, pk in changed] + removed
    stored = {e.pk: e for e in Enrollment.objects.filter(pk__in=pks).select_related("school")}
    conflicts = []
    for index, pk in changed:
        enrollment, row = stored[pk], pupils[index]
        differences = _differences(Enrollment, ENROLLMENT_COMPARED, enrollment, row)
        conflicts.append(
            Conflict(
                SHEET_ROLLS,
                row.row,
                f"{enrollment.name}（{enrollment.school.name}）",
                _edited(enrollment.edited_at) + ":" + (";".join(differences) or "学籍信息不同"),
            )
        )
    for pk in removed:
        enrollment = stored[pk]
        conflicts.append(
            Conflict(
                SHEET_ROLLS,
                0,
                f"{enrollment.name}（{enrollment.school.name} {enrollment.grade}年级）",
                _edited(enrollment.edited_at) + "，文件中没有这个学生；导入会删除这条学籍",
            )
        )
    return conflicts


def id_number_valid(number: str) -> bool:
    try:
        id_number_parse(number)
    except CellError:
        return False
    return True


def id_number_conflict(row: PersonRow, stored: str) -> Conflict:
    # Both numbers in full: the user must see which digits differ to choose, and the file
    # they imported holds the number anyway.
    return Conflict(
        SHEET_PEOPLE,
        row.row,
        f"{row.name}（{row.village} {row.household}户）",
        f"身份证号 系统中为有效的 {stored}，文件中为 {row.id_number}",
    )
