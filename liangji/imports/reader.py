"""Reading the workbook with python-calamine, one row at a time.

calamine holds a sheet's cells compactly in Rust; rows become Python objects one by one as the
validator asks for them, so memory stays bounded by what the validator keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from liangji.imports.columns import (
    SHEET_UNITS,
    SPECS,
    SheetSpec,
    header_lookup,
    header_normalise,
    sheet_lookup,
)

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")
# A title row or two ("XX村文化户口册") often sits above the header row.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class FileProblem:
    """A problem of the file as a whole (no such file, a sheet or a required column missing)."""

    sheet: str
    column: str
    message: str
    row: int = 0


class WorkbookError(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("；".join(problem.message for problem in problems))
        self.problems = problems


@dataclass
class SheetReader:
    spec: SheetSpec
    sheet: python_calamine.CalamineSheet | None  # None once read: calamine holds every cell
    header_row: int  # Excel row number of the header
    positions: dict[str, int]  # canonical column → index in the row

    @property
    def row_count_estimate(self) -> int:
        return max(self.sheet.total_height - self.header_row, 0) if self.sheet else 0

    def release(self) -> None:
        """Let calamine free the sheet's cells (~1.5 kB a row) before the writing starts."""
        self.sheet = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, raw cells) for every non-empty row under the header.

        Cells stay a list, addressed through `positions`: no per-row dict at county scale.
        """
        sheet = self.sheet
        assert sheet is not None, "a sheet is read once"
        first_row = sheet.start[0] if sheet.start else 0
        for offset, row in enumerate(sheet.iter_rows()):
            excel_row = first_row + offset + 1
            # any(): calamine gives "" for an empty cell; a row of only zeros is empty too.
            if excel_row > self.header_row and any(row):
                yield excel_row, row


def workbook_open(path: Path) -> python_calamine.CalamineWorkbook:
    if not path.exists():
        raise WorkbookError([FileProblem("", "", f"找不到文件 {path};请检查路径和文件名")])
    if path.suffix.lower() not in ACCEPTED_SUFFIXES:
        raise WorkbookError(
            [
                FileProblem(
                    "",
                    "",
                    f"{path.name} 不是 .xlsx 工作簿;"
                    "请在 Excel/WPS 中“另存为”Excel 工作簿(.xlsx)后再导入",
                )
            ]
        )
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for damaged or foreign files
        raise WorkbookError(
            [
                FileProblem(
                    "",
                    "",
                    f"{path.name} 无法作为 Excel 工作簿打开({exc.__class__.__name__});"
                    "请确认文件未损坏、未加密,并另存为 .xlsx 后再导入",
                )
            ]
        ) from None


def sheets_find(workbook: python_calamine.CalamineWorkbook) -> dict[str, str]:
    """Canonical sheet name → the sheet's name in this workbook."""
    lookup = sheet_lookup()
    found: dict[str, str] = {}
    for actual in workbook.sheet_names:
        canonical = lookup.get(header_normalise(actual))
        if canonical and canonical not in found:
            found[canonical] = actual
    if SHEET_UNITS not in found:
        raise WorkbookError(
            [
                FileProblem(
                    SHEET_UNITS,
                    "",
                    "工作簿中没有“单位”工作表;请按导入模板(liangji template)添加单位表,"
                    "列出镇、各村(社区)和各学校",
                )
            ]
        )
    return found


def sheet_reader(
    workbook: python_calamine.CalamineWorkbook, actual: str, spec: SheetSpec
) -> SheetReader:
    sheet = workbook.get_sheet_by_name(actual)
    lookup = header_lookup(spec)
    first_row = sheet.start[0] if sheet.start else 0
    best: tuple[int, dict[str, int], list[str]] | None = None
    for offset, row in enumerate(sheet.iter_rows()):
        if offset >= HEADER_SEARCH_ROWS:
            break
        positions: dict[str, int] = {}
        duplicates: list[str] = []
        for index, cell in enumerate(row):
            canonical = lookup.get(header_normalise(cell))
            if canonical is None:
                continue
            if canonical in positions:
                duplicates.append(canonical)
            else:
                positions[canonical] = index
        if len(positions) >= 2:
            best = (first_row + offset + 1, positions, duplicates)
            break
    required = [column for column in spec.columns if column.required]
    if best is None:
        raise WorkbookError(
            [
                FileProblem(
                    spec.name,
                    "",
                    f"工作表“{actual}”前 {HEADER_SEARCH_ROWS} 行中找不到表头;"
                    f"请在第一行写上列名(必填:{'、'.join(c.name for c in required)})",
                )
            ]
        )
    header_row, positions, duplicates = best
    problems = [
        FileProblem(
            spec.name,
            column.name,
            f"工作表“{actual}”缺少必填列“{column.name}”;请在第 {header_row} 行表头加上这一列"
            + (f"(也可写作 {'、'.join(column.aliases[:3])})" if column.aliases else ""),
            header_row,
        )
        for column in required
        if column.name not in positions
    ]
    problems += [
        FileProblem(
            spec.name,
            name,
            f"工作表“{actual}”第 {header_row} 行有两列都是“{name}”;请删除或改名其中一列",
            header_row,
        )
        for name in duplicates
    ]
    if problems:
        raise WorkbookError(problems)
    return SheetReader(spec, sheet, header_row, positions)


def sheets_open(path: Path) -> dict[str, SheetReader]:
    """Open the workbook and every canonical sheet it has; file problems raise WorkbookError."""
    workbook = workbook_open(path)
    found = sheets_find(workbook)
    readers: dict[str, SheetReader] = {}
    problems: list[FileProblem] = []
    for canonical, actual in found.items():
        try:
            readers[canonical] = sheet_reader(workbook, actual, SPECS[canonical])
        except WorkbookError as error:
            problems += error.problems
    if problems:
        raise WorkbookError(problems)
    return readers
