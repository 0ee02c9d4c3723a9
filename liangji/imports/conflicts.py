"""Conflicts of an import: what the file would change although a user saved it since.

A record edited in the application after the last import (its `edited_at` is set by the
register services) is kept as it is unless the user chooses to overwrite it; so is a valid ID
number the file would replace with a different one. Each conflict names the row, the person
and every value on which the file and the register disagree, so that the user can choose.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Field, Model
from django.utils import timezone

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS
from liangji.imports.parsing import CellError, id_number_parse
from liangji.imports.validation import PersonRow, PupilRow
from liangji.registers.models import Enrollment, PersonRecord
from liangji.registers.services import PERSON_RECORD_EDITABLE

# Typed on the command line as it stands (full-width marks are accepted as well).
OVERWRITE_EXAMPLE = "--overwrite-edits=人口：2，学籍：5"
OVERWRITE_HINT = (
    "如确认其中某些以文件为准，请在命令后加 --overwrite-edits=身份证号或行号"
    f"（多个用逗号分隔，例如 {OVERWRITE_EXAMPLE}；只写 --overwrite-edits 则全部以文件为准；"
    "网页上在冲突表中逐条勾选）重新导入"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    sheet: str
    row: int  # Excel row of the file; 0: the record is missing from the file (would be deleted)
    who: str
    what: str
    # What the preview page posts to choose this conflict: the stored row it is about
    # ("人口记录:12", "学籍:7", "身份证号:3"), the same in the dry run and the confirmed run.
    key: str = ""
    # The ID numbers a user may type to choose it (as stored and as in the file).
    id_numbers: tuple[str, ...] = ()
    overwritten: bool = False  # the user chose the file for this one

    def line(self) -> str:
        if self.row:
            return f"{self.sheet}表第 {self.row} 行 {self.who}：{self.what}"
        # No row to name it by: the command line chooses it by its key.
        choose = f"（选择时写 {self.key}）" if self.key else ""
        return f"{self.sheet}表中没有 {self.who}：{self.what}{choose}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "who": self.who,
            "what": self.what,
            "key": self.key,
            "overwritten": self.overwritten,
        }


_ROW_TOKEN = re.compile(r"^(?:(人口|学籍)(?:表)?:?)?(?:第)?(\d{1,7})(?:行)?$")
_ID_TOKEN = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_KEY_TOKEN = re.compile(r"^(人口记录|学籍记录|身份证号):\d+$")


@dataclass(frozen=True)
class Overwrite:
    """Which conflicts the file overwrites: none (the default), all, or the ones the user chose.

    The preview page posts conflict keys; the command line takes what the summary shows: an ID
    number, or a row (`2`, or `人口:2` / `学籍:2` when both sheets have a conflict on row 2).
    """

    everything: bool = False
    keys: frozenset[str] = frozenset()
    tokens: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str | None) -> Overwrite:
        """`--overwrite-edits` as typed: absent (None) keeps all, bare ("") overwrites all."""
        if text is None:
            return cls()
        text = text.replace("\uff1a", ":").strip()  # a full-width colon typed in Chinese
        tokens = tuple(t.upper() for t in re.split(r"[,\uff0c、\s]+", text) if t)
        if not tokens or tokens in {("ALL",), ("全部",)}:
            return cls(everything=True)
        return cls(tokens=tokens)

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.keys) or bool(self.tokens)

    def chooses(self, conflict: Conflict) -> bool:
        if self.everything or conflict.key in self.keys:
            return True
        return any(_token_matches(token, conflict) for token in self.tokens)

    def decide(self, conflict: Conflict) -> Conflict:
        return replace(conflict, overwritten=self.chooses(conflict))

    def problems(self, conflicts: Sequence[Conflict]) -> list[str]:
        """What the user typed that chooses nothing, or more than the user can have meant."""
        problems = []
        for token in self.tokens:
            matched = [c for c in conflicts if _token_matches(token, c)]
            if not any(p.match(token) for p in (_ROW_TOKEN, _ID_TOKEN, _KEY_TOKEN)):
                problems.append(
                    f"--overwrite-edits 中的“{token}”既不是身份证号也不是行号；"
                    "请写冲突所在的行号（例如 2 或 人口：2）或身份证号，多个用逗号分隔"
                )
            elif not matched:
                problems.append(
                    f"--overwrite-edits 中的“{token}”不是本次导入的冲突；"
                    "请先用 --dry-run 查看冲突列表，再写其中的行号或身份证号"
                )
            elif len({c.sheet for c in matched}) > 1 and _ID_TOKEN.match(token) is None:
                problems.append(
                    f"--overwrite-edits 中的“{token}”在人口表和学籍表都有冲突；"
                    f"请写 人口：{token} 或 学籍：{token}"
                )
        return problems


def _token_matches(token: str, conflict: Conflict) -> bool:
    if token in conflict.id_numbers or token == conflict.key:
        return True
    row = _ROW_TOKEN.match(token)
    if row is None or not conflict.row:
        return False
    sheet, number = row.groups()
    return int(number) == conflict.row and sheet in (None, conflict.sheet)


NO_OVERWRITE = Overwrite()
OVERWRITE_ALL = Overwrite(everything=True)


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


# Not "学籍:7": that is how a user names row 7 of the 学籍 sheet.
RECORD_KEY, ENROLLMENT_KEY, ID_NUMBER_KEY = "人口记录", "学籍记录", "身份证号"


def _numbers(*numbers: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in numbers if n))


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
                _edited(record.edited_at) + "：" + ("；".join(differences) or "特殊群体不同"),
                key=f"{RECORD_KEY}:{pk}",
                id_numbers=_numbers(record.person.id_number, row.id_number),
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
                key=f"{RECORD_KEY}:{pk}",
                id_numbers=_numbers(record.person.id_number),
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
                _edited(enrollment.edited_at) + "：" + ("；".join(differences) or "学籍信息不同"),
                key=f"{ENROLLMENT_KEY}:{pk}",
                id_numbers=_numbers(enrollment.id_number, row.id_number),
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
                key=f"{ENROLLMENT_KEY}:{pk}",
                id_numbers=_numbers(enrollment.id_number),
            )
        )
    return conflicts


def id_number_valid(number: str) -> bool:
    try:
        id_number_parse(number)
    except CellError:
        return False
    return True


def id_number_conflict(row: PersonRow, stored: str, *, person_pk: int) -> Conflict:
    # Both numbers in full: the user must see which digits differ to choose, and the file
    # they imported holds the number anyway.
    return Conflict(
        SHEET_PEOPLE,
        row.row,
        f"{row.name}（{row.village} {row.household}户）",
        f"身份证号 系统中为有效的 {stored}，文件中为 {row.id_number}",
        key=f"{ID_NUMBER_KEY}:{person_pk}",
        id_numbers=_numbers(stored, row.id_number),
    )
