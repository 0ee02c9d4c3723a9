"""Every spreadsheet liangji writes goes through here: user values are text, never formulas.

A child's name imported as `=HYPERLINK("http://…","点我")` must come out as those characters,
not as a live link, in every export (issue 11). XlsxWriter's generic `write()` turns strings
that start with `=` into formulas and strings that look like numbers or URLs into numbers and
links; the workbook options below switch that off, and `cell_write` calls the typed writers
itself, so a string is always written with `write_string` whatever it starts with (`=`, `+`,
`-`, `@`, a tab or a carriage return).

It sits in `registers`, below every domain app, so that imports, indicators, dropout,
inspection, literacy, archive and reports all write their workbooks the same way.
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

# Never interpret a string: no formulas, no numbers, no hyperlinks.
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
DATE_FORMAT = "yyyy-mm-dd"
HEADER_STYLE = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
TITLE_STYLE = {"bold": True, "font_size": 14}


def workbook_open(target: str | Path | IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """A workbook that never reads a string as a formula, a number or a link.

    `target` is a path or a binary buffer (then the workbook is kept in memory).
    """
    settings: dict[str, Any] = {**options, **TEXT_ONLY}
    if not isinstance(target, str | Path):
        settings.setdefault("in_memory", True)
        return xlsxwriter.Workbook(target, settings)
    return xlsxwriter.Workbook(str(target), settings)


class Cells:
    """Typed writing into one worksheet: strings as text, numbers as numbers, dates as dates."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.date_format = workbook.add_format({"num_format": DATE_FORMAT})

    def write(self, row: int, column: int, value: object, fmt: Format | None = None) -> None:
        sheet = self.sheet
        if value is None or value == "":
            if fmt is not None:
                sheet.write_blank(row, column, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, fmt)
        elif isinstance(value, int | float | decimal.Decimal):
            sheet.write_number(row, column, float(value), fmt)
        elif isinstance(value, datetime.datetime | datetime.date):
            if not isinstance(value, datetime.datetime):
                value = datetime.datetime(value.year, value.month, value.day)
            elif value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            sheet.write_datetime(row, column, value, fmt or self.date_format)
        else:
            sheet.write_string(row, column, str(value), fmt)

    def row(
        self, row: int, first_column: int, values: Iterable[object], fmt: Format | None = None
    ) -> None:
        # The common cells (plain text, whole numbers) go straight to their typed writer: a
        # county roster writes millions of them. Anything else takes `write`.
        string, number = self.sheet.write_string, self.sheet.write_number
        for column, value in enumerate(values, start=first_column):
            kind = type(value)
            if kind is str and value:
                string(row, column, value, fmt)  # type: ignore[arg-type]
            elif kind is int:
                number(row, column, float(value), fmt)  # type: ignore[arg-type]
            else:
                self.write(row, column, value, fmt)


def cells(workbook: xlsxwriter.Workbook, name: str) -> Cells:
    """A new worksheet named `name` (cut to Excel's 31 characters)."""
    return Cells(workbook, workbook.add_worksheet(name[:31]))


def table_sheet_add(
    workbook: xlsxwriter.Workbook,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str = "",
    widths: Sequence[int] = (),
) -> Cells:
    """A sheet of an optional title line, a bold header, the rows, and frozen panes.

    Without `widths` each column is as wide as its header and first 500 values need.
    """
    target = cells(workbook, name)
    top = 0
    if title:
        target.write(0, 0, title, workbook.add_format(TITLE_STYLE))
        top = 1
    target.row(top, 0, header, workbook.add_format(HEADER_STYLE))
    sample: list[Sequence[object]] = []
    for index, row in enumerate(rows, start=top + 1):
        target.row(index, 0, row)
        if len(sample) < 500:
            sample.append(row)
    target.sheet.freeze_panes(top + 1, 0)
    for column, heading in enumerate(header):
        if column < len(widths):
            width = widths[column]
        else:
            longest = max([len(str(heading)), *(_length(r, column) for r in sample)])
            width = min(max(longest * 2, 8), 60)
        target.sheet.set_column(column, column, width)
    return target


def _length(row: Sequence[object], column: int) -> int:
    if column >= len(row) or row[column] is None:
        return 0
    value = row[column]
    return 10 if isinstance(value, datetime.date) else len(str(value))


def xlsx_bytes(
    sheets: Sequence[tuple[str, str, Sequence[str], Sequence[Sequence[object]]]],
) -> bytes:
    """A workbook in memory of table sheets given as (name, title, header, rows)."""
    buffer = io.BytesIO()
    workbook = workbook_open(buffer)
    for name, title, header, rows in sheets:
        table_sheet_add(workbook, name, header, rows, title=title)
    workbook.close()
    return buffer.getvalue()
