"""Validation of a workbook: every row of every sheet is checked before anything is written.

The rules of a single row are in `rows`; the rules across rows run here (duplicate ID numbers,
duplicate people, names missing from 单位), and the warnings are collected.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS, SHEET_UNITS, SHEETS
from liangji.imports.extra_sheets import sheet_handler
from liangji.imports.rows import (
    PersonRow,
    PupilRow,
    RowError,
    UnitRow,
    layout_for,
    person_row_check,
    pupil_row_check,
    unit_row_check,
)
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS, UnitKind

__all__ = ["PersonRow", "PupilRow", "RowError", "UnitRow", "Validated", "workbook_validate"]


@dataclass
class Validated:
    """The valid rows of each sheet and every problem found."""

    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    pupils: list[PupilRow] = field(default_factory=list)
    # The valid rows of the sheets another app handles (extra_sheets), by sheet.
    extra: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Rows seen per sheet (valid or not), for the "no data rows" check and the summary.
    seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))


Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 5000
WARNINGS_KEPT = 1000


def _units_resolve(units: list[UnitRow], errors: list[RowError]) -> None:
    """Duplicate names and each village's and school's town (所属)."""
    first_row: dict[str, int] = {}
    for unit in units:
        if unit.name in first_row:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "名称",
                    f"单位“{unit.name}”在第 {first_row[unit.name]} 行已经出现；"
                    "其他表按名称引用单位，名称必须唯一，请删除重复行或改用全称",
                )
            )
        else:
            first_row[unit.name] = unit.row
    kinds = {unit.name: unit.kind for unit in units}
    towns = [unit.name for unit in units if unit.kind in TOWN_KINDS]
    for unit in units:
        if unit.kind in TOWN_KINDS or unit.kind == UnitKind.COUNTY:
            if unit.parent_name and kinds.get(unit.parent_name, UnitKind.COUNTY) != UnitKind.COUNTY:
                errors.append(
                    RowError(
                        SHEET_UNITS,
                        unit.row,
                        "所属",
                        f"镇的所属“{unit.parent_name}”不是县；镇的所属请留空或填县名",
                    )
                )
            continue
        if not unit.parent_name and len(towns) == 1:
            unit.parent_name = towns[0]
        elif not unit.parent_name:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "所属",
                    "单位表中"
                    + ("没有镇" if not towns else "有多个镇")
                    + "；请在“所属”填写这个村（社区）或学校所属的镇，并在单位表中列出该镇",
                )
            )
        elif kinds.get(unit.parent_name) not in TOWN_KINDS:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "所属",
                    f"所属“{unit.parent_name}”不是单位表中的镇（乡、街道）；请填写本表中镇的名称",
                )
            )


def _duplicates_flag(
    rows: list, key: Callable, sheet: str, column: str, what: Callable[[int], str]
) -> list[RowError]:
    """An error on every row whose key another row has too (both rows are named)."""
    first: dict[object, int] = {}
    errors: list[RowError] = []
    flagged: set[int] = set()
    for item in rows:
        value = key(item)
        if value is None:
            continue
        if value in first:
            errors.append(RowError(sheet, item.row, column, what(first[value])))
            if first[value] not in flagged:
                flagged.add(first[value])
                errors.append(RowError(sheet, first[value], column, what(item.row)))
        else:
            first[value] = item.row
    return errors


def _unit_reference_errors(
    sheet: str,
    column: str,
    row: int,
    name: str,
    allowed: frozenset,
    kinds: dict[str, str],
    broken: dict[str, int],
    what: str,
) -> RowError | None:
    if name in broken:
        return RowError(
            sheet, row, column, f"{what}“{name}”在单位表第 {broken[name]} 行有错误；请先改正单位表"
        )
    kind = kinds.get(name)
    if kind is None:
        return RowError(
            sheet,
            row,
            column,
            f"{what}“{name}”不在单位表中；请在单位表中添加，或改成单位表中的名称",
        )
    if kind not in allowed:
        return RowError(sheet, row, column, f"“{name}”在单位表中是{kind}，不是{what}；请核对")
    return None


def _rows(
    reader, check: Callable, validated: Validated, progress: Progress | None, stage: str
) -> list:
    kept = []
    total = reader.row_count_estimate
    layout = layout_for(reader.spec.name, reader.positions)
    sheet, problems = reader.spec.name, reader.cell_problems
    for count, (row, cells) in enumerate(reader.rows(), start=1):
        validated.seen[sheet] += 1
        parsed, errors = check(row, cells, layout)
        if row in problems:  # cells the file holds no usable value for: the row is wrong
            parsed, columns = None, {column for column, _ in problems[row]}
            errors = [e for e in errors if e.column not in columns]  # their cause, not "empty"
            errors += [RowError(sheet, row, c, m) for c, m in problems[row]]
        if parsed is not None:
            kept.append(parsed)
        else:
            validated.errors += errors
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(stage, count, total)
    validated.warnings += reader.notes
    reader.release()
    return kept


def workbook_validate(
    readers: dict, *, year: int, today: datetime.date, progress: Progress | None = None
) -> Validated:
    """Parse and check every row of every sheet; nothing is written here."""
    validated = Validated()
    errors = validated.errors
    units: list[UnitRow] = _rows(
        readers[SHEET_UNITS], unit_row_check, validated, progress, "检查单位表"
    )
    _units_resolve(units, errors)
    broken_rows = {e.row for e in errors if e.sheet == SHEET_UNITS}
    kinds = {u.name: u.kind for u in units if u.row not in broken_rows}
    broken = {u.name: u.row for u in units if u.row in broken_rows}
    # 学籍 first: its sheet is freed before the much longer 人口 sheet's rows accumulate.
    pupils: list[PupilRow] = []
    if SHEET_ROLLS in readers:
        pupils = _rows(
            readers[SHEET_ROLLS],
            lambda row, cells, layout: pupil_row_check(row, cells, layout, year=year, today=today),
            validated,
            progress,
            "检查学籍表",
        )
        for pupil in pupils:
            error = _unit_reference_errors(
                SHEET_ROLLS, "学校", pupil.row, pupil.school, SCHOOL_KINDS, kinds, broken, "学校"
            )
            if error:
                errors.append(error)
        errors += _duplicates_flag(
            pupils,
            lambda p: (p.school, p.id_number) if p.id_number else None,
            SHEET_ROLLS,
            "身份证号",
            lambda other: (
                f"同一学校第 {other} 行有相同身份证号的学生；"
                "一个学生在一所学校只登记一行，请删除重复行"
            ),
        )
        errors += _duplicates_flag(
            pupils,
            lambda p: (p.school, p.student_number) if p.student_number else None,
            SHEET_ROLLS,
            "学籍号",
            lambda other: f"同一学校第 {other} 行有相同的学籍号；请核对学籍号",
        )
    people: list[PersonRow] = []
    if SHEET_PEOPLE in readers:
        people = _rows(
            readers[SHEET_PEOPLE],
            lambda row, cells, layout: person_row_check(row, cells, layout, today=today),
            validated,
            progress,
            "检查人口表",
        )
        for person in people:
            error = _unit_reference_errors(
                SHEET_PEOPLE,
                "村/社区",
                person.row,
                person.village,
                VILLAGE_KINDS,
                kinds,
                broken,
                "村（社区）",
            )
            if error:
                errors.append(error)
        errors += _duplicates_flag(
            people,
            lambda p: p.id_number,
            SHEET_PEOPLE,
            "身份证号",
            lambda other: (
                f"身份证号与第 {other} 行重复；同一人只能登记一行，请删除重复行或核对号码"
            ),
        )
        errors += _duplicates_flag(
            people,
            lambda p: (p.village, p.household, p.name, p.sex, p.birth_date),
            SHEET_PEOPLE,
            "姓名",
            lambda other: (
                f"同一户中第 {other} 行是姓名、性别、出生日期都相同的人；请删除重复行或核对"
            ),
        )
    for sheet, reader in readers.items():
        if sheet not in (SHEET_UNITS, SHEET_PEOPLE, SHEET_ROLLS):
            _extra_rows(reader, validated, year=year)
    errors.sort(key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else -1, e.row))
    bad = {(e.sheet, e.row) for e in errors}
    validated.units = [u for u in units if (SHEET_UNITS, u.row) not in bad]
    validated.people = [p for p in people if (SHEET_PEOPLE, p.row) not in bad]
    validated.pupils = [p for p in pupils if (SHEET_ROLLS, p.row) not in bad]
    _warnings_collect(validated)
    return validated


def _extra_rows(reader: Any, validated: Validated, *, year: int) -> None:
    """A sheet another app reads: its handler parses the rows; cells without a usable value
    (a formula never calculated) make their row wrong as in the other sheets."""
    sheet = reader.spec.name
    handler = sheet_handler(sheet)
    if handler is None:
        return
    problems = reader.cell_problems

    def counted() -> Iterator[tuple[int, list[Any]]]:
        for row, cells in reader.rows():
            validated.seen[sheet] += 1
            yield row, cells

    rows, errors = handler.check(counted(), reader.positions, year=year)
    validated.errors += errors
    validated.errors += [
        RowError(sheet, row, column, message)
        for row, found in problems.items()
        for column, message in found
    ]
    validated.extra[sheet] = [r for r in rows if r.row not in problems]
    validated.warnings += reader.notes
    reader.release()


def _warnings_collect(validated: Validated) -> None:
    missing_proof = [
        p for p in validated.people if p.elsewhere_level and p.elsewhere_proof is not True
    ]
    for person in missing_proof[:WARNINGS_KEPT]:
        validated.warnings.append(
            f"人口表第 {person.row} 行 {person.name}（{person.village}）："
            f"本在外就读（{person.elsewhere_level}），"
            "但没有证明材料；请收集就读证明并把“在外就读证明”改为 有"
        )
    if len(missing_proof) > WARNINGS_KEPT:
        validated.warnings.append(
            f"……另有 {len(missing_proof) - WARNINGS_KEPT} 名本在外就读人员缺少证明材料"
        )
