"""A case resolution written on the roll (the child came back: 复学) survives the re-import of
the roll that still says 辍学: the roll keeps the resolution and the import lists the conflict,
until the user chooses the file for it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from liangji.dropout.services import case_close, case_open
from liangji.imports.conflicts import Overwrite
from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import PUPILS, town_workbook
from liangji.registers.choices import Resolution, RollStatus
from liangji.registers.models import Enrollment, SchoolYear

pytestmark = pytest.mark.django_db

WANG_WU_OUT = dict(PUPILS[1], 学籍状态="辍学", 变动日期="2024-09-20", 入学日期=None)


@pytest.fixture(autouse=True)
def october_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 10, 15, 9, 0, tzinfo=datetime.UTC)):
        yield


def wang_wu() -> Enrollment:
    return Enrollment.objects.get(name="王五", school_year__year=2024)


@pytest.fixture
def roll_after_the_return(tmp_path: Path) -> Path:
    """王五 dropped out on the September roll; the case work brought him back on 10 October."""
    september = town_workbook(tmp_path / "九月.xlsx", 学籍=[PUPILS[0], WANG_WU_OUT])
    assert workbook_import(path=september, school_year=2024).ok
    case = case_open(
        school_year=SchoolYear.objects.get(year=2024),
        source="manual",
        kind="辍学",
        enrollment=wang_wu(),
        opened_on=datetime.date(2024, 10, 8),
        village_person="李村长",
        school_person="王老师",
        user=None,
    )
    case_close(
        case=case,
        resolution=Resolution.RETURNED,
        resolved_on=datetime.date(2024, 10, 10),
        user=None,
    )
    assert wang_wu().status == RollStatus.STUDYING
    return september


def test_the_return_written_on_the_roll_survives_the_reimport(roll_after_the_return: Path) -> None:
    result = workbook_import(path=roll_after_the_return, school_year=2024)

    roll = wang_wu()
    assert (roll.status, roll.status_date) == (RollStatus.STUDYING, datetime.date(2024, 10, 10))
    [conflict] = result.conflicts
    assert (conflict.sheet, conflict.row, conflict.who) == ("学籍", 3, "王五（青山小学）")
    assert "学籍状态 系统为 在读，文件为 辍学" in conflict.what


def test_the_file_overwrites_the_return_only_when_chosen(roll_after_the_return: Path) -> None:
    result = workbook_import(
        path=roll_after_the_return, school_year=2024, overwrite=Overwrite.from_text("学籍：3")
    )

    assert [c.overwritten for c in result.conflicts] == [True]
    assert wang_wu().status == RollStatus.DROPPED_OUT
