"""Nothing of a workbook is left out without a word: sheets beside the ones read, merged cells,
formulas without their results, dates no register can hold."""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
import xlsxwriter

from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import PEOPLE, PUPILS, UNITS, town_workbook, workbook_write
from liangji.registers.models import Household, PersonRecord

pytestmark = pytest.mark.django_db

WEST_PEOPLE = [row for row in PEOPLE if row["村/社区"] == "西村"]
EAST_PEOPLE = [row for row in PEOPLE if row["村/社区"] == "东村"]


@pytest.fixture(autouse=True)
def june_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0, tzinfo=datetime.UTC)):
        yield


def names() -> list[str]:
    return sorted(PersonRecord.objects.values_list("person__name", flat=True))


@pytest.mark.parametrize("extra", ["人口表", "人口（西村）", "Sheet1"])
def test_a_second_sheet_of_people_is_reported_not_ignored(tmp_path: Path, extra: str) -> None:
    path = workbook_write(
        tmp_path / "两张人口表.xlsx",
        {"单位": UNITS, "人口": EAST_PEOPLE, extra: WEST_PEOPLE, "学籍": PUPILS},
    )

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected
    assert result.errors[0].sheet == "人口"
    assert result.errors[0].message.startswith(
        f"工作表“{extra}”看起来也是人口数据，但导入只读取工作表“人口”，“{extra}”中的行不会被导入"
    )
    assert not PersonRecord.objects.exists()


def test_skip_invalid_imports_the_sheet_read_and_deletes_nobody(tmp_path: Path) -> None:
    assert workbook_import(path=town_workbook(tmp_path / "全镇.xlsx"), school_year=2023).ok
    path = workbook_write(
        tmp_path / "两张人口表.xlsx",
        {"单位": UNITS, "人口": EAST_PEOPLE, "人口（西村）": WEST_PEOPLE, "学籍": PUPILS},
    )

    result = workbook_import(path=path, school_year=2023, skip_invalid=True)

    assert result.ok and "工作表“人口（西村）”看起来也是人口数据" in result.errors[0].message
    assert names() == ["张三", "张小妹", "李四", "王五"]  # 西村's people stay


def test_the_instructions_sheet_of_the_template_is_not_data(tmp_path: Path) -> None:
    path = workbook_write(
        tmp_path / "带说明.xlsx",
        {"说明": [{"说明": "人口表每人一行；户号、姓名、性别必填"}], "单位": UNITS, "人口": PEOPLE},
    )

    assert workbook_import(path=path, school_year=2023).ok


def test_a_household_merged_down_its_rows_is_filled_from_the_merge(tmp_path: Path) -> None:
    """张三 and 张小妹 of 东村 household 001, written as 文化户口册 are: 村 and 户号 merged."""
    path = tmp_path / "合并.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    units = workbook.add_worksheet("单位")
    units.write_row(0, 0, ["类型", "名称", "所属"])
    for r, unit in enumerate(UNITS, start=1):
        units.write_row(r, 0, [unit["类型"], unit["名称"], unit.get("所属", "")])
    people = workbook.add_worksheet("人口")
    people.write_row(0, 0, ["村/社区", "户号", "姓名", "性别", "出生日期", "人口类型"])
    people.merge_range(1, 0, 2, 0, "东村")
    people.merge_range(1, 1, 2, 1, "001")
    people.write_row(1, 2, ["张三", "男", "2012-03-15", "户籍"])
    people.write_row(2, 2, ["张小妹", "女", "2016-09-02", "户籍"])
    workbook.close()

    result = workbook_import(path=path, school_year=2023)

    assert result.ok, result.summary_lines()
    household = Household.objects.get(village__name="东村", number="001")
    assert sorted(household.records.values_list("person__name", flat=True)) == ["张三", "张小妹"]
    assert (
        "人口表有 2 处合并单元格（第 2–3 行“村/社区”列、第 2–3 行“户号”列），"
        "已把合并的值填入其中的每一行；请核对这些行"
    ) in result.warnings


def without_cached_values(path: Path) -> Path:
    """The workbook as a program that never calculates saves it: formulas without results."""
    out = path.with_name(f"无结果-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", data)
            target.writestr(item, data)
    return out


def formula_workbook(path: Path, *, value: str | None) -> Path:
    """王五's name is =\"王\"&\"五\"; `value` is the result saved with it (None: none saved)."""
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in {"单位": UNITS, "人口": PEOPLE}.items():
        sheet = workbook.add_worksheet(name)
        columns = list(dict.fromkeys(k for row in rows for k in row))
        sheet.write_row(0, 0, columns)
        for r, row in enumerate(rows, start=1):
            for c, column in enumerate(columns):
                if name == "人口" and column == "姓名" and row[column] == "王五":
                    sheet.write_formula(r, c, '="王"&"五"', None, value or "")
                elif row.get(column) is not None:
                    sheet.write_string(r, c, str(row[column]))
    workbook.close()
    return path if value is not None else without_cached_values(path)


def test_a_formula_without_its_result_is_a_row_error(tmp_path: Path) -> None:
    result = workbook_import(
        path=formula_workbook(tmp_path / "公式.xlsx", value=None), school_year=2023
    )

    assert result.rejected
    [error] = result.errors  # the cell's cause, not also "姓名 不能为空"
    assert (error.sheet, error.row, error.column) == ("人口", 5, "姓名")
    assert error.message.startswith("这一格是公式，但文件中没有保存公式的计算结果")


def test_a_formula_saved_with_its_result_is_read_as_the_result(tmp_path: Path) -> None:
    result = workbook_import(
        path=formula_workbook(tmp_path / "公式.xlsx", value="王五"), school_year=2023
    )

    assert result.ok
    assert "王五" in names()


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"出生日期": "1800-05-06"}, "出生日期", "出生日期 1800-05-06 早于 1900 年"),
        (
            {"户籍状态": "迁出", "迁出日期": "2024-07-01"},
            "迁出日期",
            "迁出日期 2024-07-01 晚于今天",
        ),
    ],
    ids=["born-1800", "moves-out-next-month"],
)
def test_an_implausible_date_is_a_row_error(
    tmp_path: Path, changes: dict[str, str], column: str, words: str
) -> None:
    people = [PEOPLE[0], PEOPLE[1], PEOPLE[2], dict(PEOPLE[3], **changes)]
    path = town_workbook(tmp_path / "日期.xlsx", 人口=people)

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("人口", 5, column)
    assert words in error.message
