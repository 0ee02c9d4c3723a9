"""Loading the demo town into the default database.

`demo_load` runs the steps of DEMO_STEPS in order. A step is a function called as
`step(stdout_write=...)`, imported here (so the import graph shows what the demo loads); other
apps add their own demo data (accounts, dropout cases, inspection plans …) by appending one line
at the end of this module, so that `liangji demo` stays one command.
Every step must be idempotent: `liangji demo` on the demo town loads it again without harm.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from liangji.accounts.demo import demo_accounts_create
from liangji.archive.demo import demo_archive_create
from liangji.demo.generator import town_names, town_workbooks_write
from liangji.demo.selectors import demo_summary_lines
from liangji.dropout.demo import demo_cases_create
from liangji.imports.services import workbook_import
from liangji.inspection.demo import demo_inspection_create
from liangji.literacy.demo import demo_literacy_create
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import Unit

DEMO_SEED = 2024
DEMO_YEARS = (2022, 2023, 2024)
DEMO_PEOPLE = 25_000
DEMO_STEM = "示范镇"

Write = Callable[[str], None]
Step = Callable[..., None]


class DemoError(Exception):
    """The demo cannot be loaded here; the message says why and what to do."""


def demo_people() -> int:
    """LIANGJI_DEMO_PEOPLE: the size of the demo town (default 25,000; tests use a few hundred)."""
    raw = os.environ.get("LIANGJI_DEMO_PEOPLE", "").strip()
    if not raw:
        return DEMO_PEOPLE
    if not raw.isdigit() or not 100 <= int(raw) <= 200_000:
        raise DemoError(f"LIANGJI_DEMO_PEOPLE={raw!r} 不合理；请写 100 到 200000 之间的整数")
    return int(raw)


def demo_town_name() -> str:
    return town_names(towns=1, seed=DEMO_SEED)[0]


def demo_database_check() -> None:
    """Refuse a database that holds any other town: the demo would mix with real data."""
    demo = demo_town_name()
    others = sorted(
        Unit.objects.filter(kind__in=TOWN_KINDS).exclude(name=demo).values_list("name", flat=True)
    )
    if others:
        raise DemoError(
            f"数据库中已有 {'、'.join(others)} 的数据，"
            f"示范数据只能载入空数据库或示范镇“{demo}”本身。"
            "请为示范另建一个数据目录，例如：LIANGJI_DATA_DIR=./demo-var liangji init && "
            "LIANGJI_DATA_DIR=./demo-var liangji demo"
        )


def demo_load(*, stdout_write: Write) -> None:
    demo_database_check()
    for step in DEMO_STEPS:
        step(stdout_write=stdout_write)
    stdout_write("示范数据已载入：")
    for line in demo_summary_lines():
        stdout_write(line)


class _ImportProgress:
    """Prints a line when the importer enters a stage and at every further 25 % of it."""

    def __init__(self, stdout_write: Write) -> None:
        self.write = stdout_write
        self.stage = ""
        self.shown = -1

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        quarter = done * 4 // total if total else 0
        if stage != self.stage:
            self.stage, self.shown = stage, quarter
            self.write(f"    {stage}……")
        elif quarter > self.shown and total:
            self.shown = quarter
            self.write(f"    {stage} {done}/{total}")


def demo_workbooks_path() -> Path:
    return Path(settings.DATA_DIR) / "demo"


def _workbooks_loaded(directory: Path) -> list[tuple[Path, int]]:
    """The workbooks an earlier `liangji demo` generated and imported here, when the demo town
    is in the database and all of them are still on disk; else []."""
    if not Unit.objects.filter(kind__in=TOWN_KINDS, name=demo_town_name()).exists():
        return []
    paths = [(directory / f"{DEMO_STEM}-{year}.xlsx", year) for year in DEMO_YEARS]
    return paths if all(path.is_file() for path, _ in paths) else []


def demo_registers_load(*, stdout_write: Write) -> None:
    """Write the demo town's workbooks (one per school year) and import each of them.

    A second `liangji demo` imports again the workbooks the first one generated, not new ones:
    with another LIANGJI_DEMO_PEOPLE (or a newer generator) the new workbooks would drop pupils
    the demo's cases, absence reports and proofs refer to, and the import refuses to delete
    those (rightly), so the demo would stop half loaded."""
    directory = demo_workbooks_path()
    loaded = _workbooks_loaded(directory)
    if loaded:
        stdout_write(
            f"示范镇“{demo_town_name()}”已载入：重新导入上次生成的工作簿（{directory}），"
            "规模不变。要换一个规模，请另建数据目录，"
            "例如：LIANGJI_DATA_DIR=./demo-var2 liangji init"
            " && LIANGJI_DATA_DIR=./demo-var2 liangji demo"
        )
        books = [(path, year, "") for path, year in loaded]
    else:
        people = demo_people()
        stdout_write(
            f"生成示范镇“{demo_town_name()}”的工作簿（约 {people} 人，{len(DEMO_YEARS)} 个学年）……"
        )
        books = [
            (book.path, book.year, f"（{book.people} 人，{book.pupils} 条学籍）")
            for book in town_workbooks_write(
                directory, people_per_town=people, years=DEMO_YEARS, seed=DEMO_SEED, stem=DEMO_STEM
            )
        ]
    for path, year, size in books:
        stdout_write(f"导入 {path.name}{size}……")
        result = workbook_import(
            path=path, school_year=year, progress=_ImportProgress(stdout_write)
        )
        if not result.ok:
            raise DemoError(
                "示范工作簿导入失败（这是程序的缺陷，请报告）：\n"
                + "\n".join(result.summary_lines())
            )
        stdout_write("  " + result.summary_lines()[0])


DEMO_STEPS: list[Step] = [
    demo_registers_load,
    demo_accounts_create,
    demo_cases_create,
    demo_inspection_create,
    demo_literacy_create,
    demo_archive_create,
]
