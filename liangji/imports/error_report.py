"""The error report: the rejected rows as they were typed, each with every problem it has.

Written beside the imported file as `<name>.errors.xlsx`. The rows are read again from the
source (only error rows are copied), so validation never has to keep the raw cells in memory.
"""

from __future__ import annotations

import errno
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.format import Format

from liangji.imports.columns import SHEETS
from liangji.imports.conflicts import Conflict
from liangji.imports.reader import WorkbookError, sheets_open
from liangji.imports.validation import RowError
from liangji.registers.spreadsheets import cells, workbook_open

SUMMARY_SHEET = "错误汇总"
CONFLICT_SHEET = "冲突"
EXPLANATION = "错误说明"


def error_report_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}.errors.xlsx")


class ErrorReportUnwritable(Exception):
    """The report's file cannot be written; the message names it, the reason and the fix."""


# Why a file cannot be written, in words (the system's own text is English).
_OS_REASONS = {
    errno.EACCES: "没有写入权限，或旧的错误报告正在 Excel/WPS 中打开",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在的磁盘是只读的",
    errno.ENOSPC: "磁盘已满",
    errno.EISDIR: "同名的是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOENT: "所在的文件夹不存在",
}


def os_reason(error: OSError) -> str:
    return _OS_REASONS.get(error.errno or 0, "系统拒绝写入")


def error_report_write(
    *, source: Path, errors: list[RowError], target: Path, conflicts: Sequence[Conflict] = ()
) -> Path:
    """Write the report to `target`; ErrorReportUnwritable when the file cannot be written."""
    try:
        return _report_write(source=source, errors=errors, conflicts=conflicts, target=target)
    except (OSError, xlsxwriter.exceptions.FileCreateError) as error:
        cause = error.args[0] if isinstance(error, xlsxwriter.exceptions.FileCreateError) else error
        reason = os_reason(cause) if isinstance(cause, OSError) else "系统拒绝写入"
        raise ErrorReportUnwritable(
            f"错误报告无法写入 {target}（{reason}）；上面列出了问题，"
            "请关闭在 Excel/WPS 中打开的旧报告，或把工作簿复制到可写的文件夹后重新导入以得到报告"
        ) from None


def _report_write(
    *, source: Path, errors: list[RowError], conflicts: Sequence[Conflict], target: Path
) -> Path:
    by_row: dict[tuple[str, int], list[str]] = defaultdict(list)
    for error in errors:
        by_row[(error.sheet, error.row)].append(
            (f"“{error.column}”列：" if error.column else "") + error.message
        )
    workbook = workbook_open(target, constant_memory=True)
    bold = workbook.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "font_color": "#9C0006"})
    _summary_write(workbook, errors, bold)
    if conflicts:
        _conflicts_write(workbook, conflicts, bold)
    try:
        readers = sheets_open(source)
    except WorkbookError:
        readers = {}
    for name in SHEETS:
        reader = readers.get(name)
        if reader is None or not any(sheet == name for sheet, _ in by_row):
            continue
        out_cells = cells(workbook, name)
        sheet = out_cells.sheet
        out = 0
        source_sheet = reader.sheet
        assert source_sheet is not None  # freshly opened
        first_row = source_sheet.start[0] if source_sheet.start else 0
        for offset, row in enumerate(source_sheet.iter_rows()):
            excel_row = first_row + offset + 1
            if excel_row == reader.header_row:
                out_cells.row(0, 0, ["原行号", *(str(c) for c in row), EXPLANATION], bold)
                sheet.set_column(0, 0, 8)
                sheet.set_column(1, len(row), 14)
                sheet.set_column(len(row) + 1, len(row) + 1, 60)
                sheet.freeze_panes(1, 0)
                continue
            problems = by_row.get((name, excel_row))
            if not problems:
                continue
            out += 1
            sheet.write_number(out, 0, excel_row)
            # The user's own cells, echoed: text stays text (a name typed as `=…` too).
            out_cells.row(out, 1, row)
            sheet.write_string(out, len(row) + 1, "；".join(problems), wrap)
    workbook.close()
    return target


def _summary_write(workbook: xlsxwriter.Workbook, errors: list[RowError], bold: Format) -> None:
    summary = cells(workbook, SUMMARY_SHEET)
    sheet = summary.sheet
    summary.row(0, 0, ["工作表", "行号", "列", "问题与改法"], bold)
    sheet.set_column(0, 2, 12)
    sheet.set_column(3, 3, 90)
    sheet.freeze_panes(1, 0)
    for index, error in enumerate(
        sorted(errors, key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else -1, e.row)),
        start=1,
    ):
        summary.row(
            index, 0, [error.sheet or "（文件）", error.row or "", error.column, error.message]
        )


def _conflicts_write(
    workbook: xlsxwriter.Workbook, conflicts: Sequence[Conflict], bold: Format
) -> None:
    table = cells(workbook, CONFLICT_SHEET)
    table.row(0, 0, ["工作表", "行号", "人员", "冲突（系统中的内容 与 文件）", "处理"], bold)
    table.sheet.set_column(0, 1, 8)
    table.sheet.set_column(2, 2, 24)
    table.sheet.set_column(3, 3, 100)
    table.sheet.set_column(4, 4, 18)
    table.sheet.freeze_panes(1, 0)
    for index, conflict in enumerate(conflicts, start=1):
        row = str(conflict.row) if conflict.row else "不在文件中"
        choice = "按用户选择以文件覆盖" if conflict.overwritten else "保留系统中的内容"
        table.row(index, 0, [conflict.sheet, row, conflict.who, conflict.what, choice])
