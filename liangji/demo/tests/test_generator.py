"""The demo generator: deterministic, valid ID numbers, every kind of gap, years that agree."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

from liangji.demo.generator import (
    GAP_KINDS,
    PEOPLE_HEADERS,
    ROLL_HEADERS,
    UNIT_HEADERS,
    YearWorkbook,
    id_check_digit,
    town_workbooks_write,
)

YEARS = (2022, 2023, 2024)


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    header = [str(cell) for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def small_town(tmp_path_factory: pytest.TempPathFactory) -> list[YearWorkbook]:
    """A town of 600 people over three school years, seed 7."""
    return town_workbooks_write(
        tmp_path_factory.mktemp("town"), people_per_town=600, years=YEARS, seed=7
    )


def test_the_check_digit_of_a_published_example() -> None:
    # GB 11643's worked example: 11010519491231002 has the check character X.
    assert id_check_digit("11010519491231002") == "X"


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first = town_workbooks_write(tmp_path / "a", people_per_town=300, years=(2024,), seed=7)
    second = town_workbooks_write(tmp_path / "b", people_per_town=300, years=(2024,), seed=7)
    other = town_workbooks_write(tmp_path / "c", people_per_town=300, years=(2024,), seed=8)
    assert first[0].path.read_bytes() == second[0].path.read_bytes()
    assert first[0].path.read_bytes() != other[0].path.read_bytes()


def test_the_sheets_have_the_canonical_headers(small_town: list[YearWorkbook]) -> None:
    book = CalamineWorkbook.from_path(str(small_town[0].path))
    assert book.sheet_names == ["单位", "人口", "学籍"]
    assert tuple(book.get_sheet_by_name("单位").to_python()[0]) == UNIT_HEADERS
    assert tuple(book.get_sheet_by_name("人口").to_python()[0]) == PEOPLE_HEADERS
    assert tuple(book.get_sheet_by_name("学籍").to_python()[0]) == ROLL_HEADERS


def test_a_town_has_twelve_villages_and_eight_schools_of_every_kind(
    small_town: list[YearWorkbook],
) -> None:
    kinds = Counter(row["类型"] for row in sheet_rows(small_town[0].path, "单位"))
    assert kinds["村"] + kinds["社区"] == 12 and kinds["社区"] == 2
    assert kinds["镇"] + kinds["乡"] == 1
    assert {k: kinds[k] for k in ("小学", "教学点", "初中", "九年一贯制", "特殊教育学校")} == {
        "小学": 3,
        "教学点": 2,
        "初中": 1,
        "九年一贯制": 1,
        "特殊教育学校": 1,
    }


def test_every_id_number_is_valid_and_agrees_with_birth_date_and_sex(
    small_town: list[YearWorkbook],
) -> None:
    people = sheet_rows(small_town[-1].path, "人口")
    with_id = [row for row in people if row["身份证号"]]
    assert 0 < len(with_id) < len(people)  # some young children have no ID number
    for row in with_id:
        number = str(row["身份证号"])
        assert ric.is_valid(number), number
        assert ric.get_birth_date(number) == row["出生日期"]
        assert (int(number[16]) % 2 == 1) == (row["性别"] == "男")
    without_id = [row for row in people if not row["身份证号"]]
    reference = datetime.date(YEARS[-1], 9, 1)
    young = [r for r in without_id if (reference - r["出生日期"]).days < 7 * 366]
    assert len(young) > len(without_id) / 2


def test_every_kind_of_gap_is_present_in_every_year(small_town: list[YearWorkbook]) -> None:
    for workbook in small_town:
        missing = [kind for kind in GAP_KINDS if workbook.census.get(kind, 0) == 0]
        assert missing == [], f"{workbook.year}: {missing}"


def test_the_gaps_can_be_seen_in_the_rows(small_town: list[YearWorkbook]) -> None:
    for workbook in small_town:
        reference = datetime.date(workbook.year, 9, 1)
        people = sheet_rows(workbook.path, "人口")
        roll = sheet_rows(workbook.path, "学籍")
        assert {"在读", "休学", "辍学", "转出", "毕业", "死亡"} <= {r["学籍状态"] for r in roll}
        transfers = [r for r in roll if r["学籍状态"] == "转出"]
        assert {bool(r["转入学校"]) for r in transfers} == {True, False}
        assert any(r["入学日期"] for r in roll)  # joined during the year
        moves = [datetime.date.fromisoformat(str(r["迁出日期"])) for r in people if r["迁出日期"]]
        assert min(moves) < reference <= max(moves)
        assert {"户籍", "流动"} == {r["人口类型"] for r in people}
        assert {"有", "无"} <= {r["在外就读证明"] for r in people}
        assert {"文盲", "半文盲", "脱盲", "学龄前"} <= {r["文化程度"] for r in people}
        assert {"免学", "缓学"} <= {r["免缓学"] for r in people}
        disabilities = {"视力", "听力", "言语", "肢体", "智力", "精神", "多重"}
        assert disabilities <= {r["残疾类别"] for r in people}
        groups = {g for r in people for g in str(r["特殊群体"]).split("、") if g}
        assert {
            "留守儿童",
            "建档立卡",
            "低保",
            "孤儿",
            "事实无人抚养",
            "随迁子女",
            "残疾",
        } <= groups
        # Registration errors: a roll name the register does not know under that ID number.
        names_by_id = {r["身份证号"]: r["姓名"] for r in people if r["身份证号"]}
        renamed = [
            r
            for r in roll
            if r["身份证号"] in names_by_id and names_by_id[r["身份证号"]] != r["姓名"]
        ]
        assert renamed
        keys = Counter((r["姓名"], r["性别"], r["出生日期"]) for r in people)
        assert max(keys.values()) >= 2  # the child registered in two households
        sizes = Counter((r["村/社区"], r["户号"]) for r in people)
        assert max(sizes.values()) <= 7


def test_the_years_agree_people_a_year_older_and_pupils_a_grade_higher(
    small_town: list[YearWorkbook],
) -> None:
    before = {r["身份证号"]: r for r in sheet_rows(small_town[1].path, "学籍") if r["身份证号"]}
    after = {r["身份证号"]: r for r in sheet_rows(small_town[2].path, "学籍") if r["身份证号"]}
    numeric = {k: r for k, r in before.items() if isinstance(r["年级"], float)}
    promoted = [k for k, r in numeric.items() if k in after and isinstance(after[k]["年级"], float)]
    steps = Counter(int(after[k]["年级"]) - int(numeric[k]["年级"]) for k in promoted)
    assert steps[1] > 0.95 * sum(steps.values())
    graduates = [r for r in before.values() if r["学籍状态"] == "毕业" and r["年级"] == 6.0]
    assert graduates and all(
        after[r["身份证号"]]["年级"] == 7.0 for r in graduates if r["身份证号"] in after
    )
    assert not any(r["年级"] == 9.0 and r["身份证号"] in after for r in before.values())
    people_2023 = {
        r["身份证号"]: r for r in sheet_rows(small_town[1].path, "人口") if r["身份证号"]
    }
    people_2024 = {
        r["身份证号"]: r for r in sheet_rows(small_town[2].path, "人口") if r["身份证号"]
    }
    dead = [k for k, r in people_2023.items() if r["死亡日期"]]
    assert dead and all(people_2024[k]["死亡日期"] == people_2023[k]["死亡日期"] for k in dead)


def test_towns_of_a_county_have_distinct_names_and_places(tmp_path: Path) -> None:
    [workbook] = town_workbooks_write(
        tmp_path, towns=3, people_per_town=1000, years=(2024,), seed=1
    )
    units = sheet_rows(workbook.path, "单位")
    assert len(units) == 3 * 21
    assert len({r["名称"] for r in units}) == len(units)
    # The towns share the county's region code: their ID numbers must still differ.
    numbers = Counter(r["身份证号"] for r in sheet_rows(workbook.path, "人口") if r["身份证号"])
    assert numbers.most_common(1)[0][1] == 1
