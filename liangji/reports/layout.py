"""The paper every statistical table and roster is printed on: a title, the unit, the school
year and the date, the table, and the 填表人/审核人/负责人 lines, as Excel and as PDF.

Excel goes through the shared writer of `registers.spreadsheets`: a name typed as
`=HYPERLINK(…)` stays text and never becomes a formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from liangji.registers.official import date_arabic
from liangji.registers.pdf import pdf_render
from liangji.registers.spreadsheets import cells, workbook_open

Value = str | int | Decimal | None
SIGNATURES = ("填表人", "审核人", "负责人")


@dataclass(frozen=True)
class Column:
    label: str
    group: str = ""  # consecutive columns of one group share a header cell above theirs
    width: int = 0  # characters; 0: from the label


@dataclass
class Sheet:
    title: str
    unit: str
    school_year: int
    columns: list[Column]
    rows: list[list[Value]]
    date: datetime.date
    notes: list[str] = field(default_factory=list)
    # Rows (by index) printed in bold: the totals.
    total_rows: set[int] = field(default_factory=set)
    # One form per person (the 辍学学生登记表): label → value pairs, printed after the table.
    forms: list[list[tuple[str, str]]] = field(default_factory=list)

    @property
    def year_text(self) -> str:
        return f"{self.school_year}—{self.school_year + 1}学年"

    @property
    def date_text(self) -> str:
        return date_arabic(self.date)

    def groups(self) -> list[tuple[str, int]]:
        """(group label, span) over the columns; a column without a group spans itself."""
        spans: list[tuple[str, int]] = []
        for column in self.columns:
            if spans and column.group and spans[-1][0] == column.group:
                spans[-1] = (column.group, spans[-1][1] + 1)
            else:
                spans.append((column.group, 1))
        return spans

    @property
    def grouped(self) -> bool:
        return any(c.group for c in self.columns)

    def header_rows(self) -> list[list[tuple[str, int, int]]]:
        """The printed header: rows of (label, colspan, rowspan)."""
        if not self.grouped:
            return [[(c.label, 1, 1) for c in self.columns]]
        top: list[tuple[str, int, int]] = []
        bottom: list[tuple[str, int, int]] = []
        col = 0
        for label, span in self.groups():
            if label:
                top.append((label, span, 1))
                bottom += [(c.label, 1, 1) for c in self.columns[col : col + span]]
            else:
                top.append((self.columns[col].label, 1, 2))
            col += span
        return [top, bottom]

    @property
    def column_percents(self) -> list[str]:
        """Each column's share of the printed width, from its width in characters: the PDF's
        table is laid out from these (table-layout: fixed) instead of measuring every cell of
        every row, which made a long roster cost seconds a page."""
        widths = [column_width(c) for c in self.columns]
        total = sum(widths) or 1
        return [f"{100 * w / total:.2f}" for w in widths]

    def printable_rows(self) -> list[tuple[bool, list[tuple[str, bool]]]]:
        """(is a total, [(text, is a number)]) per row, for the PDF."""
        return [
            (
                index in self.total_rows,
                [(cell_text(v), isinstance(v, int | Decimal)) for v in values],
            )
            for index, values in enumerate(self.rows)
        ]


def column_width(column: Column) -> int:
    """Characters, as set in Excel: the column's own width, or its label's."""
    return column.width or max(len(column.label) * 2 + 2, 6)


def cell_text(value: Value) -> str:
    if value is None:
        return ""
    return str(value)


def _merged(sheet: Any, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Any) -> None:
    # merge_range writes its value with the generic write(): merge empty, then write text.
    if first == last:
        sheet.write_string(*first, text, fmt)
        return
    sheet.merge_range(*first, *last, "", fmt)
    sheet.write_string(*first, text, fmt)


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 10}
    return {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "meta": book.add_format({"font_size": 10}),
        "head": book.add_format({**border, "bold": True, "align": "center", "text_wrap": True}),
        "cell": book.add_format(border),
        "total": book.add_format({**border, "bold": True}),
        "sign": book.add_format({"font_size": 11}),
    }


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique in the book.
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "表"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name[:26]}{n}", n + 1
    used.add(candidate)
    return candidate


def _write_sheet(book: Any, sheet: Sheet, name: str, used: set[str]) -> None:
    fmt = _formats(book)
    writer = cells(book, name)
    ws = writer.sheet
    width = max(len(sheet.columns), 1)
    _merged(ws, (0, 0), (0, width - 1), sheet.title, fmt["title"])
    ws.write_string(1, 0, f"填报单位：{sheet.unit}    {sheet.year_text}", fmt["meta"])
    ws.write_string(1, max(width - 3, 1), f"填报日期：{sheet.date_text}", fmt["meta"])
    row = 2
    if sheet.grouped:
        col = 0
        for label, span in sheet.groups():
            if label:
                _merged(ws, (row, col), (row, col + span - 1), label, fmt["head"])
            else:  # a column without group: its label spans both header rows
                _merged(ws, (row, col), (row + 1, col), sheet.columns[col].label, fmt["head"])
            col += span
        row += 1
        for col, column in enumerate(sheet.columns):
            if column.group:
                ws.write_string(row, col, column.label, fmt["head"])
    else:
        for col, column in enumerate(sheet.columns):
            ws.write_string(row, col, column.label, fmt["head"])
    row += 1
    ws.freeze_panes(row, 0)
    for index, values in enumerate(sheet.rows):
        writer.row(row, 0, values, fmt["total"] if index in sheet.total_rows else fmt["cell"])
        row += 1
    for note in sheet.notes:
        ws.write_string(row, 0, note, fmt["meta"])
        row += 1
    row += 1
    signatures = "        ".join(f"{s}:__________" for s in SIGNATURES)
    ws.write_string(row, 0, signatures, fmt["sign"])
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, column_width(column))
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(2, 3 if sheet.grouped else 2)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页 共 &N 页")
    if sheet.forms:
        _write_forms(book, sheet, fmt, _sheet_name(f"{sheet.unit}登记表", used))


def _write_forms(book: Any, sheet: Sheet, fmt: dict[str, Any], name: str) -> None:
    ws = book.add_worksheet(name)
    row, breaks = 0, []
    for form in sheet.forms:
        _merged(ws, (row, 0), (row, 3), "辍学学生登记表", fmt["title"])
        row += 1
        for n in range(0, len(form), 2):
            for k, (label, value) in enumerate(form[n : n + 2]):
                ws.write_string(row, 2 * k, label, fmt["head"])
                ws.write_string(row, 2 * k + 1, value, fmt["cell"])
            row += 1
        ws.write_string(row, 0, "填表人：__________  审核人：__________", fmt["sign"])
        row += 2
        breaks.append(row)  # one form a page
    ws.set_h_pagebreaks(breaks[:-1])
    ws.set_column(0, 3, 22)


def sheets_xlsx(sheets: Sequence[Sheet], target: Path | Any) -> None:
    """Every sheet on its own worksheet of one workbook (`target`: a path or a binary file)."""
    # Rows are written in order: constant_memory streams each row to disk as it is finished
    # instead of keeping every cell of a county roster in memory until the end.
    book = workbook_open(target, constant_memory=True)
    try:
        used: set[str] = set()
        for sheet in sheets:
            _write_sheet(book, sheet, _sheet_name(sheet.title, used), used)
    finally:
        book.close()


def sheets_pdf(sheets: Sequence[Sheet]) -> bytes:
    """A4 landscape; the title and the table header on every page, page numbers, signatures."""
    html = render_to_string("reports/sheet_pdf.html", {"sheets": sheets})
    return pdf_render(html)
