"""The one spreadsheet writer: a user's string is text whatever it starts with."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from liangji.registers.spreadsheets import xlsx_bytes
from liangji.registers.tests.spreadsheets import HOSTILE, xlsx_assert_text_only

LIANGJI = Path(__file__).resolve().parents[2]


def test_hostile_strings_stay_text_and_typed_values_keep_their_type() -> None:
    rows = [
        [value, 7, datetime.date(2024, 9, 1), "0123", "http://evil.example/"] for value in HOSTILE
    ]
    content = xlsx_bytes([("名单", "标题", ["姓名", "人数", "日期", "编号", "网址"], rows)])
    cells = xlsx_assert_text_only(content, [*HOSTILE, "0123", "http://evil.example/"])
    assert cells[2][1:3] == [7.0, datetime.date(2024, 9, 1)]


def test_nothing_in_liangji_opens_a_workbook_but_the_shared_writer() -> None:
    """A new export that opened its own XlsxWriter workbook would bypass the text-only rule."""
    offenders = [
        str(path.relative_to(LIANGJI))
        for path in LIANGJI.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "spreadsheets.py"
        and "xlsxwriter" in (text := path.read_text())
        and re.search(r"xlsxwriter\.Workbook\(|\.write_row\(|\.write\(", text)
    ]
    assert offenders == []
