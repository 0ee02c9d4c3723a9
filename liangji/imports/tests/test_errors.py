"""Bad input: the file is rejected whole, the database is untouched, and the error report says
where (sheet, row, column) and how to fix it."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import (
    PEOPLE,
    PUPILS,
    UNITS,
    ZHANG_SAN_ID,
    id_number_make,
    town_workbook,
    workbook_write,
)
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, Unit
from liangji.registers.tests.spreadsheets import HOSTILE, xlsx_assert_text_only

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not (
        Unit.objects.exists()
        or Household.objects.exists()
        or Person.objects.exists()
        or PersonRecord.objects.exists()
        or Enrollment.objects.exists()
    )


def people_with(index: int, **changes: Any) -> list[dict[str, Any]]:
    people = copy.deepcopy(PEOPLE)
    people[index].update(changes)
    return people


def pupils_with(index: int, **changes: Any) -> list[dict[str, Any]]:
    pupils = copy.deepcopy(PUPILS)
    pupils[index].update(changes)
    return pupils


# 四川 (51) and its prefecture 内江 (5110) exist, county 20 never did: python-stdnum raised
# KeyError on such a number.
LI_SI_ID_UNKNOWN_REGION = id_number_make(
    datetime.date(2010, 7, 1), male=False, area="511020", seq=2
)

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

# (sheet overrides, sheet, Excel row, column, words of the message)
BAD_ROWS = [
    ({"人口": people_with(0, 村="南村")}, "人口", 2, "村/社区", "不在单位表中"),
    ({"人口": people_with(1, 性别="未知")}, "人口", 3, "性别", "请填写 男、女"),
    ({"人口": people_with(1, 姓名="")}, "人口", 3, "姓名", "不能为空"),
    ({"人口": people_with(1, 出生日期=TOMORROW)}, "人口", 3, "出生日期", "晚于今天"),
    ({"人口": people_with(1, 出生日期="2016-02-30")}, "人口", 3, "出生日期", "不存在"),
    (
        {"人口": people_with(1, 户籍状态="迁出", 迁出日期="2015-01-01")},
        "人口",
        3,
        "迁出日期",
        "早于出生日期",
    ),
    ({"人口": people_with(1, 户籍状态="迁出")}, "人口", 3, "迁出日期", "必须填写迁出日期"),
    ({"人口": people_with(3, 人口类型="外来")}, "人口", 5, "人口类型", "户籍、流动"),
    (
        {"人口": people_with(0, 身份证号=ZHANG_SAN_ID[:-1] + "0")},
        "人口",
        2,
        "身份证号",
        "校验码不正确",
    ),
    ({"人口": people_with(0, 出生日期="2012-03-16")}, "人口", 2, "身份证号", "不一致"),
    (
        {"人口": people_with(2, 身份证号=ZHANG_SAN_ID, 出生日期="2012-03-15", 性别="男")},
        "人口",
        4,
        "身份证号",
        "与第 2 行重复",
    ),
    (
        {"人口": people_with(1, 姓名="张三", 性别="男", 出生日期="2012-03-15", 身份证号="")},
        "人口",
        3,
        "姓名",
        "姓名、性别、出生日期都相同",
    ),
    ({"人口": people_with(1, 免缓学="缓学")}, "人口", 3, "免缓学批准日期", "批准日期"),
    ({"学籍": pupils_with(0, 学校="红星小学")}, "学籍", 2, "学校", "不在单位表中"),
    ({"学籍": pupils_with(0, 学校="东村")}, "学籍", 2, "学校", "不是学校"),
    ({"学籍": pupils_with(0, 学籍状态="休学")}, "学籍", 2, "变动日期", "必须填写变动日期"),
    ({"学籍": pupils_with(0, 学籍状态="失踪")}, "学籍", 2, "学籍状态", "在读、休学"),
    (
        {"学籍": pupils_with(1, 变动日期="2024-09-01")},
        "学籍",
        3,
        "变动日期",
        "晚于 2023—2024 学年的最后一天",
    ),
    ({"学籍": pupils_with(0, 学籍状态="复学")}, "学籍", 2, "变动日期", "学籍状态为复学时必须"),
    (
        {"人口": people_with(2, 在外就读年级="高一")},
        "人口",
        4,
        "在外就读年级",
        "与学段初中不符（初中为 7–9 年级）",
    ),
    (
        {"人口": people_with(2, 身份证号=LI_SI_ID_UNKNOWN_REGION)},
        "人口",
        4,
        "身份证号",
        "前 6 位 511020 不是任何时期用过的行政区划代码",
    ),
    ({"学籍": pupils_with(0, 年级="高二")}, "学籍", 2, "年级", "初一…初三"),
    ({"学籍": pupils_with(0, 年级="")}, "学籍", 2, "年级", "不能为空"),
]


@pytest.mark.parametrize(("sheets", "sheet", "row", "column", "words"), BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(
    tmp_path: Path, sheets: dict, sheet: str, row: int, column: str, words: str
) -> None:
    if "人口" in sheets and any("村" in person for person in sheets["人口"]):
        for person in sheets["人口"]:  # the test table writes the village as 村
            if "村" in person:
                person["村/社区"] = person.pop("村")
    path = town_workbook(tmp_path / "bad.xlsx", **sheets)

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected and nothing_written()
    assert any(
        (e.sheet, e.row, e.column) == (sheet, row, column) and words in e.message
        for e in result.errors
    ), [e.line() for e in result.errors]
    assert result.error_report == tmp_path / "bad.errors.xlsx"
    report = CalamineWorkbook.from_path(str(result.error_report))
    rows: list[list[Any]] = report.get_sheet_by_name(sheet).to_python()
    assert rows[0][0] == "原行号" and rows[0][-1] == "错误说明"
    reported = {int(r[0]): r[-1] for r in rows[1:]}
    assert words in reported[row] and f"“{column}”列" in reported[row]
    summary: list[list[Any]] = report.get_sheet_by_name("错误汇总").to_python()
    assert [sheet, row, column] in [[r[0], int(r[1]), r[2]] for r in summary[1:] if r[1] != ""]


def test_every_problem_of_a_row_is_listed(tmp_path: Path) -> None:
    people = people_with(1, 性别="?", 出生日期="明天", 人口类型="")
    result = workbook_import(
        path=town_workbook(tmp_path / "bad.xlsx", 人口=people), school_year=2023
    )

    assert sorted(e.column for e in result.errors if e.row == 3) == ["人口类型", "出生日期", "性别"]
    assert "第 3 行" in result.summary_lines()[1]


def test_a_missing_required_column_is_one_clear_file_error(tmp_path: Path) -> None:
    people = [{k: v for k, v in person.items() if k != "出生日期"} for person in PEOPLE]

    result = workbook_import(
        path=town_workbook(tmp_path / "bad.xlsx", 人口=people), school_year=2023
    )

    assert result.rejected and nothing_written()
    assert [(e.sheet, e.column) for e in result.errors] == [("人口", "出生日期")]
    assert "请在第 1 行表头加上这一列" in result.errors[0].message
    assert "出生年月" in result.errors[0].message


def test_header_variants_and_a_title_row_are_understood(tmp_path: Path) -> None:
    headers = ["所在村", "户编号", "姓 名", "性别*", "出生年月", "身份证号码", "人员类型"]
    rows = [
        {
            "所在村": "东村",
            "户编号": 1,
            "姓 名": "张三",
            "性别*": "男",
            "出生年月": 20120315,
            "身份证号码": ZHANG_SAN_ID.lower(),
            "人员类型": "户籍",
        }
    ]
    path = tmp_path / "variants.xlsx"
    workbook_write(path, {"单位": UNITS, "人口": rows}, headers={"人口": headers})

    result = workbook_import(path=path, school_year=2023)

    assert result.ok, [e.line() for e in result.errors]
    assert Person.objects.get().id_number == ZHANG_SAN_ID
    assert Household.objects.get().number == "1"


def test_a_workbook_without_the_units_sheet(tmp_path: Path) -> None:
    path = workbook_write(tmp_path / "bad.xlsx", {"人口": PEOPLE})

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected and nothing_written()
    assert "没有“单位”工作表" in result.errors[0].message


@pytest.mark.parametrize(
    ("name", "words"), [("missing.xlsx", "找不到文件"), ("data.csv", "不是 .xlsx")]
)
def test_a_missing_or_foreign_file(tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("姓名，性别\n张三，男\n", encoding="utf-8")

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected and words in result.errors[0].message


def test_a_damaged_xlsx_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected and "无法作为 Excel 工作簿打开" in result.errors[0].message


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(tmp_path: Path) -> None:
    people = people_with(1, 性别="未知")
    pupils = pupils_with(2, 学籍状态="辍学", 变动日期="")
    path = town_workbook(tmp_path / "partly.xlsx", 人口=people, 学籍=pupils)

    result = workbook_import(path=path, school_year=2023, skip_invalid=True)

    assert result.ok and result.skipped_rows == 2
    assert PersonRecord.objects.count() == 3 and Enrollment.objects.count() == 2
    assert not Person.objects.filter(name="张小妹").exists()
    assert result.error_report is not None and result.error_report.exists()
    assert any("跳过了 2 个有错误的行" in line for line in result.summary_lines())


def test_skipped_rows_never_delete_what_is_already_there(tmp_path: Path) -> None:
    workbook_import(path=town_workbook(tmp_path / "v1.xlsx"), school_year=2023)
    people = people_with(1, 性别="未知")

    result = workbook_import(
        path=town_workbook(tmp_path / "v2.xlsx", 人口=people), school_year=2023, skip_invalid=True
    )

    assert result.ok and result.counts["人口"].removed == 0
    assert PersonRecord.objects.filter(person__name="张小妹").exists()


def test_a_legacy_id_number_must_agree_with_the_row(tmp_path: Path) -> None:
    people = people_with(3, 身份证号="110101130506123", 出生日期="2013-05-06")  # 1913, not 2013
    result = workbook_import(
        path=town_workbook(tmp_path / "bad.xlsx", 人口=people), school_year=2023
    )

    assert result.rejected
    assert any(e.column == "身份证号" and "1913-05-06" in e.message for e in result.errors)


def test_an_id_number_of_another_region_is_still_valid(tmp_path: Path) -> None:
    other = id_number_make(datetime.date(2013, 5, 6), male=True, area="440106")
    result = workbook_import(
        path=town_workbook(tmp_path / "ok.xlsx", 人口=people_with(3, 身份证号=other)),
        school_year=2023,
    )

    assert result.ok


def test_the_error_report_echoes_hostile_cells_as_text(tmp_path: Path) -> None:
    """The report copies the user's own cells: a name typed as a formula stays characters."""
    people = copy.deepcopy(PEOPLE)
    for index, value in enumerate(HOSTILE[: len(people)]):
        people[index].update(姓名=value, 性别="?")
    result = workbook_import(
        path=town_workbook(tmp_path / "bad.xlsx", 人口=people), school_year=2023
    )

    assert result.error_report is not None
    xlsx_assert_text_only(result.error_report, HOSTILE[: len(people)])
