"""Reading back what the reports wrote: values through calamine, formulas from the XML."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from python_calamine import CalamineWorkbook


def xlsx_rows(content: bytes, sheet: int = 0) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(sheet).to_python()


def xlsx_has_formula(content: bytes) -> bool:
    """Whether any cell of any worksheet is a formula (`<f>` in the sheet XML)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return any(
            b"<f>" in archive.read(name) or b"<f " in archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
