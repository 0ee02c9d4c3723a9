"""Hostile cell values and the check, from the written file, that none became a formula.

Every export test that walks its columns with these values uses `xlsx_assert_text_only`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

# What a spreadsheet program would run or link if it were written as anything but text.
HOSTILE = (
    '=HYPERLINK("http://evil.example/","点我")',
    "=1+1",
    "+1+2",
    "-3+4",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
)


def hostile(index: int, tail: str = "") -> str:
    """The index-th hostile value (cycling), with a tail that keeps values of one kind apart."""
    return HOSTILE[index % len(HOSTILE)] + tail


def xlsx_assert_text_only(content: bytes | Path, expected: Iterable[str]) -> list[list[Any]]:
    """No cell of any sheet is a formula or a link, and every expected value is a text cell.

    Returns the cells of all sheets, row by row, as read back.
    """
    raw = content.read_bytes() if isinstance(content, Path) else content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                assert not re.search(r"<f[ >]", xml), f"{name} holds a formula"
                assert 't="str"' not in xml, f"{name} holds a formula result"
                assert "<hyperlink" not in xml, f"{name} holds a hyperlink"
    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    rows: list[list[Any]] = []
    for sheet_name in book.sheet_names:
        rows.extend(book.get_sheet_by_name(sheet_name).to_python())
    texts = {cell for row in rows for cell in row if isinstance(cell, str)}
    missing = [value for value in expected if value not in texts]
    assert not missing, f"not written as text: {missing!r}"
    return rows
