"""Cell parsers: every spelling of product.md, and ID numbers checked with python-stdnum."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liangji.imports.columns import PEOPLE, header_lookup, header_normalise
from liangji.imports.parsing import (
    CellError,
    bool_parse,
    date_parse,
    grade_parse,
    groups_parse,
    id_number_parse,
    sex_parse,
)
from liangji.imports.tests.workbooks import id_number_make

MARCH_15 = datetime.date(2009, 3, 15)


@pytest.mark.parametrize(
    "cell",
    [
        "2009-03-15",
        "2009/3/15",
        "2009.3.15",
        "20090315",
        "2009年3月15日",
        "２００９－０３－１５",  # typed with a full-width input method
        " 2009-03-15 00:00:00 ",
        20090315,
        20090315.0,
        39887,  # the Excel serial number of 2009-03-15
        39887.0,
        datetime.date(2009, 3, 15),
        datetime.datetime(2009, 3, 15, 0, 0),
    ],
)
def test_every_date_spelling_means_the_same_day(cell: object) -> None:
    assert date_parse(cell) == MARCH_15


@pytest.mark.parametrize("cell", ["2009-02-30", "2009-13-01", "十五号", "2009", "15/3/2009", True])
def test_impossible_or_unknown_dates_are_errors_that_show_the_expected_form(cell: object) -> None:
    with pytest.raises(CellError, match="2009-03-15"):
        date_parse(cell)


@given(st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2099, 12, 31)))
def test_dates_round_trip_through_every_text_spelling(day: datetime.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day:%Y%m%d}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert date_parse(text) == day
    assert date_parse(float((day - datetime.date(1899, 12, 30)).days)) == day


@pytest.mark.parametrize(
    ("cell", "grade"),
    [
        (1, 1),
        (9.0, 9),
        ("3", 3),
        ("一年级", 1),
        ("六年级", 6),
        ("七年级", 7),
        ("九年级", 9),
        ("初一", 7),
        ("初二", 8),
        ("初三", 9),
        ("５年级", 5),
    ],
)
def test_grades(cell: object, grade: int) -> None:
    assert grade_parse(cell) == grade


@pytest.mark.parametrize("cell", ["十年级", "0", 10, "高一", "初四"])
def test_unknown_grades_say_which_spellings_work(cell: object) -> None:
    with pytest.raises(CellError, match="初一…初三"):
        grade_parse(cell)


def test_sex_yes_no_and_groups() -> None:
    assert sex_parse("男") == "男"
    assert sex_parse(" 女 ") == "女"
    with pytest.raises(CellError, match="男、女"):
        sex_parse("M")
    assert bool_parse("是") is True
    assert bool_parse("否") is False
    assert bool_parse(True) is True
    with pytest.raises(CellError, match="是 或 否"):
        bool_parse("也许")
    assert set(groups_parse("留守儿童、建档立卡，低保，孤儿；残疾")) == {
        "留守儿童",
        "建档立卡",
        "低保",
        "孤儿",
        "残疾",
    }
    with pytest.raises(CellError, match="特殊群体“贫困户”不是可用的值"):
        groups_parse("留守儿童、贫困户")


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2020, 12, 31)),
    male=st.booleans(),
    seq=st.integers(min_value=0, max_value=499),
)
def test_valid_ids_parse_with_their_birth_date_and_sex(
    birth: datetime.date, male: bool, seq: int
) -> None:
    number = id_number_make(birth, male=male, seq=seq)
    assert id_number_parse(number) == (number, birth, "男" if male else "女")
    assert id_number_parse(number.lower())[0] == number  # a lowercase x is normalised


@given(
    birth=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2020, 12, 31)),
    seq=st.integers(min_value=0, max_value=499),
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=9),
)
def test_a_changed_digit_fails(birth: datetime.date, seq: int, position: int, shift: int) -> None:
    number = id_number_make(birth, male=True, seq=seq)
    if number[position] == "X":
        changed_digit = str(shift)
    else:
        changed_digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    with pytest.raises(CellError):
        id_number_parse(changed)


def test_id_problems_are_explained() -> None:
    good = id_number_make(datetime.date(2012, 3, 15), male=True)
    with pytest.raises(CellError, match="校验码不正确"):
        id_number_parse(good[:-1] + ("0" if good[-1] != "0" else "1"))
    with pytest.raises(CellError, match="应为 18 位"):
        id_number_parse(good[:-2])
    with pytest.raises(CellError, match="非数字"):
        id_number_parse("11010120120315A01X")


def test_legacy_fifteen_digit_numbers_carry_birth_date_and_sex() -> None:
    assert id_number_parse("110101870315123") == (
        "110101870315123",
        datetime.date(1987, 3, 15),
        "男",
    )
    assert id_number_parse(110101870315124) == ("110101870315124", datetime.date(1987, 3, 15), "女")
    with pytest.raises(CellError, match="出生日期不存在"):
        id_number_parse("110101871315123")


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("出生年月", "出生日期"),
        ("出生日期 *", "出生日期"),
        ("身份证号码", "身份证号"),
        ("身份证", "身份证号"),
        ("所在村", "村/社区"),
        ("村", "村/社区"),
        ("社区", "村/社区"),
        ("村（社区）", "村/社区"),
        ("村社区", "村/社区"),
        ("户编号", "户号"),
        ("人员类型", "人口类型"),
        ("＊姓 名", "姓名"),
    ],
)
def test_header_variants(typed: str, column: str) -> None:
    assert header_lookup(PEOPLE)[header_normalise(typed)] == column
