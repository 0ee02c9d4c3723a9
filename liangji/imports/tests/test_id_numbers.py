"""ID numbers and 户号 as Excel really saves them: typed into General cells, they are numbers."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liangji.imports.conflicts import OVERWRITE_ALL
from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import PEOPLE, ZHANG_SAN_ID, id_number_make, town_workbook
from liangji.registers.models import Household, Person, PersonRecord

pytestmark = pytest.mark.django_db

# 110101201203150039 typed into a General cell: Excel keeps 1.10101201203150E+17.
ZHANG_SAN_AS_NUMBER = int(ZHANG_SAN_ID)
# The same 张三 (born 2012-03-15, a man) under another valid number: a typo of the area code.
ZHANG_SAN_OTHER_ID = id_number_make(datetime.date(2012, 3, 15), male=True, area="110102", seq=1)


def people_with(**changes: object) -> list[dict[str, object]]:
    return [dict(PEOPLE[0], **changes), *PEOPLE[1:]]


def zhang_san() -> Person:
    return Person.objects.get(name="张三")


def test_an_id_number_stored_as_a_number_is_refused_with_the_real_cause(tmp_path: Path) -> None:
    path = town_workbook(tmp_path / "数字.xlsx", 人口=people_with(身份证号=ZHANG_SAN_AS_NUMBER))

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected
    [error] = [e for e in result.errors if e.column == "身份证号"]
    assert (error.sheet, error.row) == ("人口", 2)
    assert (
        error.message == "该列被 Excel 存成了数字\uff0c后几位已丢失\uff1b请把列设为文本后重新填写"
    )
    assert not Person.objects.exists()


def test_skip_invalid_never_overwrites_a_stored_id_with_a_damaged_one(tmp_path: Path) -> None:
    assert workbook_import(path=town_workbook(tmp_path / "文本.xlsx"), school_year=2023).ok
    damaged = town_workbook(tmp_path / "数字.xlsx", 人口=people_with(身份证号=ZHANG_SAN_AS_NUMBER))

    result = workbook_import(path=damaged, school_year=2023, skip_invalid=True)

    assert result.ok and result.skipped_rows == 1
    assert zhang_san().id_number == ZHANG_SAN_ID


def test_a_valid_stored_id_is_not_replaced_by_another_without_saying_so(tmp_path: Path) -> None:
    assert workbook_import(path=town_workbook(tmp_path / "九月.xlsx"), school_year=2023).ok
    other = town_workbook(tmp_path / "十月.xlsx", 人口=people_with(身份证号=ZHANG_SAN_OTHER_ID))

    kept = workbook_import(path=other, school_year=2023)

    assert zhang_san().id_number == ZHANG_SAN_ID
    [conflict] = kept.conflicts
    assert (conflict.sheet, conflict.row, conflict.who) == ("人口", 2, "张三（东村 001户）")
    assert conflict.what == f"身份证号 系统中为有效的 {ZHANG_SAN_ID}，文件中为 {ZHANG_SAN_OTHER_ID}"
    assert kept.counts["人员"].kept == 1 and kept.counts["人员"].updated == 0

    replaced = workbook_import(path=other, school_year=2023, overwrite=OVERWRITE_ALL)

    assert zhang_san().id_number == ZHANG_SAN_OTHER_ID
    assert replaced.counts["人员"].updated == 1
    assert "已被文件覆盖" in "\n".join(replaced.summary_lines())


def test_a_household_number_stored_as_a_number_is_the_same_household(tmp_path: Path) -> None:
    assert workbook_import(path=town_workbook(tmp_path / "文本.xlsx"), school_year=2023).ok
    # 001 typed into a General cell is the number 1; 张小妹 of the same household says "0001".
    people = [dict(PEOPLE[0], 户号=1), dict(PEOPLE[1], 户号="0001"), *PEOPLE[2:]]

    result = workbook_import(
        path=town_workbook(tmp_path / "数字.xlsx", 人口=people), school_year=2023
    )

    assert result.ok and not result.changed
    assert result.counts["户"].created == 0
    assert list(
        Household.objects.filter(village__name="东村").values_list("number", flat=True)
    ) == ["001"]
    assert set(
        PersonRecord.objects.filter(household__number="001").values_list("person__name", flat=True)
    ) == {"张三", "张小妹"}
