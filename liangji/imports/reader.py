"""Reading the workbook with python-calamine, one row at a time.

calamine holds a sheet's cells compactly in Rust; rows become Python objects one by one as the
validator asks for them, so memory stays bounded by what the validator keeps.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

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
    # Problems of single cells found in the file itself (a formula without its value):
    # Excel row → [(canonical column, message)].
    cell_problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # What reading did to the cells that the user should know (merged cells filled).
    notes: list[str] = field(default_factory=list)

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
        merges = MergeFill(sheet, self.header_row)
        for offset, row in enumerate(sheet.iter_rows()):
            excel_row = first_row + offset + 1
            # any(): calamine gives "" for an empty cell; a row of only zeros is empty too.
            if excel_row > self.header_row and any(row):
                yield excel_row, merges.fill(excel_row - 1, row)
        self.notes += merges.notes(self.spec.name, self.positions)


class MergeFill:
    """Cells merged down a column (a household's 户号 and 村 in a 文化户口册) read as if each
    row had the value: calamine gives the value to the first row only."""

    def __init__(self, sheet: python_calamine.CalamineSheet, header_row: int) -> None:
        # 0-based (first row, last row, column) of every merge under the header.
        self.ranges = [
            (top, bottom, left)
            for (top, left), (bottom, _right) in (sheet.merged_cell_ranges or [])
            if top >= header_row and bottom > top
        ]
        self.anchors: dict[int, list[tuple[int, int]]] = {}  # first row → [(range, column)]
        self.followers: dict[int, list[tuple[int, int]]] = {}  # row → [(range, column)]
        for number, (top, bottom, left) in enumerate(self.ranges):
            self.anchors.setdefault(top, []).append((number, left))
            for index in range(top + 1, bottom + 1):
                self.followers.setdefault(index, []).append((number, left))
        self.values: dict[int, object] = {}

    def fill(self, index: int, row: list[Any]) -> list[Any]:
        if not self.ranges:
            return row
        for number, column in self.anchors.get(index, ()):
            self.values[number] = row[column] if column < len(row) else ""
        for number, column in self.followers.get(index, ()):
            if column >= len(row):
                row = row + [""] * (column + 1 - len(row))
            if row[column] in ("", None):
                row[column] = self.values.get(number, "")
        return row

    def notes(self, sheet: str, positions: dict[str, int]) -> list[str]:
        names = {index: column for column, index in positions.items()}
        where = [
            f"第 {top + 1}–{bottom + 1} 行“{names[left]}”列"
            for top, bottom, left in self.ranges
            if left in names
        ]
        if not where:
            return []
        return [
            f"{sheet}表有 {len(where)} 处合并单元格（{'、'.join(where[:5])}"
            + ("等" if len(where) > 5 else "")
            + "），已把合并的值填入其中的每一行；请核对这些行"
        ]


def workbook_open(path: Path) -> python_calamine.CalamineWorkbook:
    if not path.exists():
        raise WorkbookError([FileProblem("", "", f"找不到文件 {path}；请检查路径和文件名")])
    if path.suffix.lower() not in ACCEPTED_SUFFIXES:
        raise WorkbookError(
            [
                FileProblem(
                    "",
                    "",
                    f"{path.name} 不是 .xlsx 工作簿；"
                    "请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再导入",
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
                    f"{path.name} 无法作为 Excel 工作簿打开（{exc.__class__.__name__}）；"
                    "请确认文件未损坏、未加密，并另存为 .xlsx 后再导入",
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
                    "工作簿中没有“单位”工作表；请按导入模板（liangji template）添加单位表，"
                    "列出镇、各村（社区）和各学校",
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
                    f"工作表“{actual}”前 {HEADER_SEARCH_ROWS} 行中找不到表头；"
                    f"请在第一行写上列名（必填：{'、'.join(c.name for c in required)}）",
                )
            ]
        )
    header_row, positions, duplicates = best
    problems = [
        FileProblem(
            spec.name,
            column.name,
            f"工作表“{actual}”缺少必填列“{column.name}”；请在第 {header_row} 行表头加上这一列"
            + (f"（也可写作 {'、'.join(column.aliases[:3])}）" if column.aliases else ""),
            header_row,
        )
        for column in required
        if column.name not in positions
    ]
    problems += [
        FileProblem(
            spec.name,
            name,
            f"工作表“{actual}”第 {header_row} 行有两列都是“{name}”；请删除或改名其中一列",
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
    formulas = formulas_without_value(path, {found[name] for name in readers})
    for canonical, reader in readers.items():
        reader.cell_problems = _formula_problems(reader, formulas.get(found[canonical], []))
    return readers


def sheets_extra(path: Path) -> list[FileProblem]:
    """Sheets the import does not read although they look like data: a second 人口 sheet
    (人口表 beside 人口, 人口(西村)) or a sheet whose header has the template's columns.
    Their rows would otherwise be left out without a word."""
    workbook = workbook_open(path)
    found = sheets_find(workbook)
    read = set(found.values())
    names = sheet_lookup()
    problems = []
    for actual in workbook.sheet_names:
        if actual in read:
            continue
        normalised = header_normalise(actual)
        like = next((canonical for text, canonical in names.items() if text in normalised), None)
        if like is None:
            like = _header_like(workbook, actual)
        if like is None:
            continue
        problems.append(
            FileProblem(
                like,
                "",
                f"工作表“{actual}”看起来也是{like}数据，"
                f"但导入只读取工作表“{found.get(like, like)}”，"
                f"“{actual}”中的行不会被导入；请把这些行并入“{found.get(like, like)}”表，"
                "或删除这张工作表（备份请另存为其他文件）后重新导入",
            )
        )
    return problems


def _header_like(workbook: python_calamine.CalamineWorkbook, actual: str) -> str | None:
    """The canonical sheet whose columns make up a header row of this sheet, if any."""
    for canonical, spec in SPECS.items():
        try:
            sheet_reader(workbook, actual, spec)
        except WorkbookError:
            continue
        except Exception:  # a chart sheet or another sheet calamine cannot read as cells
            return None
        return canonical
    return None


def _formula_problems(
    reader: SheetReader, cells: list[tuple[int, int]]
) -> dict[int, list[tuple[str, str]]]:
    names = {index: column for column, index in reader.positions.items()}
    problems: dict[int, list[tuple[str, str]]] = {}
    for row, column in cells:
        if row > reader.header_row and column in names:
            problems.setdefault(row, []).append((names[column], FORMULA_WITHOUT_VALUE))
    return problems


FORMULA_WITHOUT_VALUE = (
    "这一格是公式，但文件中没有保存公式的计算结果（文件可能由其他程序生成、未经 Excel 保存）；"
    "请用 Excel 或 WPS 打开文件并保存后重新导入，或把公式改为直接填写的值"
)
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def formulas_without_value(path: Path, sheets: set[str]) -> dict[str, list[tuple[int, int]]]:
    """(Excel row, 0-based column) of formula cells that carry no cached value, per sheet.

    calamine reads such a cell as empty, so an import would take a blank for it. Excel always
    saves the results; files written by other programs may not. The sheet's XML is searched
    for formulas first, so that a sheet without any is not parsed a second time.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as archive:
        for name, member in _sheet_members(archive).items():
            if name in sheets and _has_formulas(archive, member):
                found[name] = _formulas_without_value(archive, member)
    return found


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML member in the archive."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{RELS_NS}Relationship")}
    members = {}
    for sheet in book.iter(f"{MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{DOC_RELS_NS}id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        members[sheet.get("name", "")] = member
    return members


def _has_formulas(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                return True
            tail = chunk[-3:]
    return False


def _formulas_without_value(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int]]:
    # The standard library's parser: the expat it ships refuses entity expansion attacks.
    cells = []
    with archive.open(member) as stream:
        for _, element in ElementTree.iterparse(stream):
            if element.tag != f"{MAIN_NS}c":
                continue
            value = element.find(f"{MAIN_NS}v")
            if element.find(f"{MAIN_NS}f") is not None and (value is None or not value.text):
                match = _CELL_REF.fullmatch(element.get("r", ""))
                if match:
                    cells.append((int(match[2]), _column_index(match[1])))
            element.clear()
    return cells


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1
