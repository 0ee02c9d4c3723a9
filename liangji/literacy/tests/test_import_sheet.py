"""The 扫盲 sheet of the import workbook (issue 13, item 9): learners, tests, certificates and
re-tests written through the literacy services; each bad row named with its fix and nothing
written; a re-import changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine

from liangji.audit.models import AuditEntry
from liangji.imports.parsing import ID_STORED_AS_NUMBER
from liangji.imports.services import workbook_import
from liangji.imports.template import template_write
from liangji.imports.tests.workbooks import UNITS, id_number_make, workbook_write
from liangji.literacy.models import Certificate, ClassMember, LiteracyClass, Retest, TestResult
from liangji.registers.models import PersonRecord

pytestmark = pytest.mark.django_db

GUILAN_ID = id_number_make(datetime.date(1990, 7, 7), male=False, seq=21)
PEOPLE = [
    {"村/社区": "东村", "户号": "021", "姓名": "李桂兰", "性别": "女", "出生日期": "1990-07-07",
     "身份证号": GUILAN_ID, "人口类型": "户籍", "文化程度": "文盲"},
    {"村/社区": "东村", "户号": "022", "姓名": "王大山", "性别": "男", "出生日期": "1985-03-02",
     "人口类型": "户籍", "文化程度": "半文盲"},
    {"村/社区": "东村", "户号": "023", "姓名": "赵秀英", "性别": "女", "出生日期": "1979-11-30",
     "人口类型": "户籍", "文化程度": "文盲"},
]  # fmt: skip
PASSED = {"村/社区": "东村", "姓名": "李桂兰", "身份证号": GUILAN_ID, "扫盲班": "东村夜校",
          "入班日期": "2023-10-08", "测验日期": "2024-06-01", "识字数": 1620, "是否脱盲": "是",
          "证书编号": "青山镇脱盲〔2024〕第0031号"}  # fmt: skip
FAILED = {"村/社区": "东村", "姓名": "王大山", "出生日期": "1985-03-02", "性别": "男",
          "扫盲班": "东村夜校", "入班日期": "2023-10-08", "测验日期": "2024-06-01",
          "识字数": 1200, "是否脱盲": "否"}  # fmt: skip
LEARNING = {"村/社区": "东村", "姓名": "赵秀英", "出生日期": "1979-11-30", "性别": "女",
            "扫盲班": "东村夜校", "入班日期": "2023-11-01"}  # fmt: skip


@pytest.fixture(autouse=True)
def july_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 7, 1, 9, 0, tzinfo=datetime.UTC)):
        yield


def _workbook(path: Path, learners: list[dict[str, Any]]) -> Path:
    return workbook_write(path, {"单位": UNITS, "人口": PEOPLE, "扫盲": learners})


def _level(name: str, year: int = 2023) -> str:
    return PersonRecord.objects.get(person__name=name, school_year__year=year).education_level


def _state() -> tuple[int, ...]:
    return (
        LiteracyClass.objects.count(),
        ClassMember.objects.count(),
        TestResult.objects.count(),
        Certificate.objects.count(),
        Retest.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_good_sheet_writes_learners_tests_and_certificates_through_the_services(
    tmp_path: Path,
) -> None:
    path = _workbook(tmp_path / "扫盲.xlsx", [PASSED, FAILED, LEARNING])

    result = workbook_import(path=path, school_year=2023)

    assert result.ok, result.summary_lines()
    klass = LiteracyClass.objects.get()
    assert (klass.name, klass.village.name, klass.opened_on) == (
        "东村夜校", "东村", datetime.date(2023, 10, 8),
    )  # fmt: skip
    assert sorted(ClassMember.objects.values_list("person__name", flat=True)) == [
        "李桂兰", "王大山", "赵秀英",
    ]  # fmt: skip
    results = {
        r.member.person.name: (r.characters_known, r.passed) for r in TestResult.objects.all()
    }
    assert results == {"李桂兰": (1620, True), "王大山": (1200, False)}
    certificate = Certificate.objects.get()
    assert (certificate.person.name, certificate.number) == ("李桂兰", "青山镇脱盲〔2024〕第0031号")
    assert certificate.passed_on == datetime.date(2024, 6, 1)
    # The pass went into the register through its services: dated, audited.
    assert _level("李桂兰") == "脱盲"
    assert _level("王大山") == "半文盲"
    assert AuditEntry.objects.filter(entity="Certificate").count() == 1
    assert AuditEntry.objects.filter(entity="PersonRecord", summary__contains="脱盲").exists()
    assert "扫盲表：新增扫盲班 1，新增学员 3，新增测验成绩 2，新增证书 1" in result.summary_lines()


def test_reimporting_the_same_sheet_changes_nothing(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "扫盲.xlsx", [PASSED, FAILED, LEARNING])
    assert workbook_import(path=path, school_year=2023).ok
    before = _state()

    again = workbook_import(path=path, school_year=2023)

    assert again.ok, again.summary_lines()
    assert not again.changed
    assert _state() == before
    assert _level("李桂兰") == "脱盲"  # the 人口 row still says 文盲: listed as a conflict, kept
    assert "扫盲表：3 行，无变化" in again.summary_lines()


def test_a_retest_a_year_on_marks_a_relapse_and_a_reimport_keeps_it(tmp_path: Path) -> None:
    assert workbook_import(path=_workbook(tmp_path / "a.xlsx", [PASSED]), school_year=2023).ok
    relapse = {**PASSED, "复查日期": "2025-06-10", "复查结果": "复盲"}
    with time_machine.travel(datetime.datetime(2025, 7, 1, 9, 0, tzinfo=datetime.UTC)):
        path = _workbook(tmp_path / "b.xlsx", [relapse])
        result = workbook_import(path=path, school_year=2024)
        assert result.ok, result.summary_lines()
        retest = Retest.objects.get()
        assert (retest.passed, retest.date) == (False, datetime.date(2025, 6, 10))
        assert _level("李桂兰", 2024) == "半文盲"
        before = _state()
        assert not workbook_import(path=path, school_year=2024).changed
        assert _state() == before


BAD_ROWS = [
    ({**PASSED, "身份证号": float(GUILAN_ID[:17] + "0")}, "身份证号", ID_STORED_AS_NUMBER),
    ({**FAILED, "出生日期": None}, "身份证号", "没有身份证号时须填写出生日期和性别"),
    ({**FAILED, "识字数": None}, "识字数", "有测验日期时须填写识字数"),
    ({**LEARNING, "是否脱盲": "是"}, "测验日期", "却没有测验日期"),
    ({**FAILED, "证书编号": "青山镇脱盲〔2024〕第0032号"}, "证书编号", "只有是否脱盲为“是”"),
    ({**PASSED, "复查日期": "2025-06-10"}, "复查结果", "复查日期和复查结果须同时填写"),
    ({**PASSED, "测验日期": "2023-09-01"}, "测验日期", "早于入班日期"),
    ({**PASSED, "识字数": "一千"}, "识字数", "不是整数"),
    ({**LEARNING, "姓名": "赵秀"}, "姓名", "找不到“赵秀”"),
    ({**LEARNING, "村/社区": "南村"}, "村/社区", "不是单位表中的村（社区）"),
    ({**LEARNING, "入班日期": "2023-06-01"}, "入班日期", "不在 2023—2024学年 之内"),
    ({**PASSED, "识字数": 1400}, "识字数", "低于标准 1500 字"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_a_bad_row_is_named_with_its_fix_and_nothing_is_written(
    tmp_path: Path, row: dict[str, Any], column: str, message: str
) -> None:
    path = _workbook(tmp_path / "扫盲.xlsx", [row, {**FAILED, "姓名": "王大山"}])

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("扫盲", 2, column)
    assert message in error.message, error.message
    assert PersonRecord.objects.count() == 0  # the register is not half-imported either
    assert _state()[:5] == (0, 0, 0, 0, 0)


def test_the_same_learner_twice_is_refused(tmp_path: Path) -> None:
    result = workbook_import(
        path=_workbook(tmp_path / "x.xlsx", [FAILED, FAILED]), school_year=2023
    )
    assert result.rejected
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名")]
    assert "与第 2 行是同一个学员" in result.errors[0].message


def test_the_template_has_the_sheet_and_its_instructions(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(template_write(tmp_path / "模板.xlsx")))
    assert "扫盲" in book.sheet_names
    header = book.get_sheet_by_name("扫盲").to_python()[0]
    assert header[:7] == [
        "村/社区*",
        "姓名*",
        "身份证号",
        "出生日期",
        "性别",
        "扫盲班*",
        "入班日期*",
    ]
    help_rows = book.get_sheet_by_name("说明").to_python()
    assert any(r[0] == "扫盲" and r[1] == "是否脱盲" for r in help_rows)
    assert any("扫盲表" in str(r[0]) for r in help_rows)
