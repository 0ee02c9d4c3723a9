"""Sheets of the canonical workbook that another app reads and writes (the 扫盲 sheet: the
literacy app). The import knows the sheet's columns (`columns.SPECS`) but not what its rows
mean; the app that owns them registers a handler from its AppConfig.ready(), so that imports
never imports a higher layer (the same pattern as archive's generator registry).

A handler checks each row when the workbook is validated (before anything is written) and
writes the valid rows inside the import's transaction, after the register: its people are then
in the database. A row that does not fit what is already there is an error of that row; any
such error rolls the whole import back, so nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from liangji.imports.rows import RowError


@dataclass
class SheetOutcome:
    """What writing a sheet's rows did: the summary's lines, whether anything changed, and the
    rows that could not be written (they reject the import)."""

    changed: bool = False
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class SheetHandler(Protocol):
    sheet: str

    def check(
        self, rows: Iterator[tuple[int, list[Any]]], positions: dict[str, int], *, year: int
    ) -> tuple[list[Any], list[RowError]]:
        """Parse every row (Excel row number, raw cells); the valid rows and the errors."""
        ...

    def apply(
        self, rows: list[Any], *, school_year: Any, units: dict[str, int], user: Any
    ) -> SheetOutcome:
        """Write the valid rows; called inside the import's transaction. `units`: the ids of
        the workbook's units by name."""
        ...


_HANDLERS: dict[str, SheetHandler] = {}


def sheet_handler_register(handler: SheetHandler) -> None:
    _HANDLERS[handler.sheet] = handler


def sheet_handler(sheet: str) -> SheetHandler | None:
    return _HANDLERS.get(sheet)
