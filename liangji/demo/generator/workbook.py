"""Writing the workbooks: one per school year, town after town, in constant memory."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from liangji.demo import names
from liangji.demo.generator.events import TownBuilder
from liangji.demo.generator.model import (
    CLASS_SIZE,
    PEOPLE_HEADERS,
    ROLL_HEADERS,
    SHEET_PEOPLE,
    SHEET_ROLL,
    SHEET_UNITS,
    UNIT_HEADERS,
    IdNumbers,
    Town,
    town_names,
)
from liangji.demo.generator.year import RollRow, people_row, roll_rows, roll_values
from liangji.registers.spreadsheets import cells, workbook_open


class _Sheet:
    """One constant_memory worksheet written row after row, skipping empty cells."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, headers: Sequence[str]) -> None:
        self.cells = cells(workbook, name)
        self.cells.row(0, 0, headers, workbook.add_format({"bold": True}))
        self.cells.sheet.set_column(0, len(headers) - 1, 12)
        self.row = 1

    def append(self, values: Iterable[Any]) -> None:
        self.cells.row(self.row, 0, values)
        self.row += 1


@dataclass
class YearWorkbook:
    year: int
    path: Path
    people: int = 0
    pupils: int = 0
    census: dict[str, int] = field(default_factory=dict)


class _YearWriter:
    def __init__(self, path: Path, year: int) -> None:
        self.result = YearWorkbook(year, path)
        self.workbook = workbook_open(path, constant_memory=True)
        # A fixed creation time keeps the bytes of the same seed identical.
        self.workbook.set_properties(
            {"created": datetime.datetime(2000, 1, 1), "author": "liangji demo"}
        )
        self.units = _Sheet(self.workbook, SHEET_UNITS, UNIT_HEADERS)
        self.people = _Sheet(self.workbook, SHEET_PEOPLE, PEOPLE_HEADERS)
        self.roll = _Sheet(self.workbook, SHEET_ROLL, ROLL_HEADERS)

    def town_write(self, town: Town) -> None:
        year, census = self.result.year, self.result.census
        town_kind = "乡" if town.name.endswith("乡") else "镇"
        self.units.append([town_kind, town.name, town.code, ""])
        for village in town.villages:
            self.units.append([village.kind, village.name, village.code, town.name])
        for school in town.schools:
            self.units.append([school.kind, school.name, school.code, town.name])
        by_school: list[list[RollRow]] = [[] for _ in town.schools]
        for household in town.households:
            for member in household.members:
                row = people_row(town, member, year, census)
                if row is not None:
                    self.people.append(row)
                    self.result.people += 1
                for roll_row in roll_rows(town, member, year):
                    by_school[roll_row.school].append(roll_row)
        for member in town.roll_only:
            for roll_row in roll_rows(town, member, year):
                by_school[roll_row.school].append(roll_row)
        for rows in by_school:
            rows.sort(key=lambda r: r.grade)  # stable: households stay in order within a grade
            seen: dict[int, int] = {}
            for roll_row in rows:
                position = seen.get(roll_row.grade, 0)
                seen[roll_row.grade] = position + 1
                self.roll.append(
                    roll_values(town, roll_row, f"{position // CLASS_SIZE + 1}班", census)
                )
                self.result.pupils += 1

    def close(self) -> YearWorkbook:
        self.workbook.close()
        return self.result


def town_build(
    *,
    seed: int | str,
    index: int,
    name: str,
    people: int,
    years: Sequence[int],
    taken_names: set[str],
    ids: IdNumbers,
) -> Town:
    rng = random.Random(f"{seed}:town:{index}")
    builder = TownBuilder(
        rng=rng,
        name=name,
        index=index,
        people=people,
        years=years,
        taken_names=taken_names,
        ids=ids,
    )
    town = builder.build()
    serial = 0
    for member in [m for h in town.households for m in h.members] + town.roll_only:
        if member.entry_year is not None and not member.duplicate:
            serial += 1
            member.student_number = (
                f"G{member.id_number}"
                if member.id_number and not member.roll_birth
                else f"L{names.HOME_REGION}{index:02d}{serial:06d}"
            )
    return town


def town_workbooks_write(
    directory: Path,
    *,
    towns: int = 1,
    people_per_town: int = 25_000,
    years: Sequence[int] = (2022, 2023, 2024),
    seed: int | str = 2024,
    stem: str = "liangji",
    progress: Callable[[str], None] | None = None,
) -> list[YearWorkbook]:
    """Write one canonical workbook per school year, `<stem>-<year>.xlsx`; return the contents."""
    directory.mkdir(parents=True, exist_ok=True)
    writers = [_YearWriter(directory / f"{stem}-{year}.xlsx", year) for year in sorted(years)]
    taken: set[str] = set()
    ids = IdNumbers()
    try:
        for index, name in enumerate(town_names(towns=towns, seed=seed)):
            town = town_build(
                seed=seed,
                index=index,
                name=name,
                people=people_per_town,
                years=years,
                taken_names=taken,
                ids=ids,
            )
            for writer in writers:
                writer.town_write(town)
            if progress is not None:
                progress(f"已生成 {name}（{index + 1}/{towns}）")
    finally:
        results = [writer.close() for writer in writers]
    return results
