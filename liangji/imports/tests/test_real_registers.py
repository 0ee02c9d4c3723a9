"""Registers as real towns keep them (issue 9): ID numbers issued under a region code younger than
their holder, senior grades studied elsewhere, roll changes dated before the school year, and the
statuses schools write (复学, 转入, 退学). The workbook imports, and importing it again changes
nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liangji.imports.parsing import CellError, grade_elsewhere_parse, id_number_parse
from liangji.imports.services import workbook_import
from liangji.imports.tests.test_import import snapshot
from liangji.imports.tests.workbooks import UNITS, id_number_make, workbook_write
from liangji.indicators.compute import indicators_compute
from liangji.indicators.reconciliation import id_number_problem
from liangji.registers.models import Enrollment, PersonRecord

pytestmark = pytest.mark.django_db

# 锦江区 510104 exists since 1990, 万县区 500101 was created in 1997 (万州区 since 1998), 东莞
# 441900 since 1988: everyone born earlier holds a code younger than themselves.
LIU_ID = id_number_make(datetime.date(1985, 5, 10), male=True, area="510104")
CHEN_ID = id_number_make(datetime.date(1970, 2, 3), male=False, area="500101")
HUANG_ID = id_number_make(datetime.date(1980, 11, 20), male=True, area="441900")


def person(name: str, sex: str, born: str, **more: str) -> dict[str, str]:
    return {"村/社区": "东村", "户号": name, "姓名": name, "性别": sex, "出生日期": born,
            "人口类型": "户籍", **more}  # fmt: skip


def pupil(name: str, sex: str, born: str, grade: int, status: str, **more: str) -> dict:
    school = "青山中学" if grade >= 7 else "青山小学"
    return {"学校": school, "姓名": name, "性别": sex, "出生日期": born, "年级": grade,
            "学籍状态": status, **more}  # fmt: skip


PEOPLE = [
    person("刘建国", "男", "1985-05-10", 身份证号=LIU_ID),
    person("陈红", "女", "1970-02-03", 身份证号=CHEN_ID),
    person("黄伟", "男", "1980-11-20", 身份证号=HUANG_ID),
    person("周敏", "女", "2008-03-04", 在外就读学段="高中", 在外就读年级="高二", 在外就读证明="有"),
    person("吴强", "男", "2007-06-01", 在外就读学段="中职", 在外就读年级="12", 在外就读证明="有"),
    person(
        "孙丽", "女", "2009-01-15", 在外就读学段="高中", 在外就读年级="十年级", 在外就读证明="有"
    ),
    person("郑一", "男", "2014-02-01"),
    person("钱二", "女", "2011-04-02"),
    person("冯三", "男", "2015-05-03"),
    person("何四", "女", "2016-06-04"),
    person("许五", "男", "2011-07-05"),
    person("马六", "女", "2017-08-06"),
]
ROLLS = [
    pupil("郑一", "男", "2014-02-01", 5, "休学", 变动日期="2024-03-10"),  # on leave since spring
    pupil("钱二", "女", "2011-04-02", 8, "辍学", 变动日期="2024-06-15"),  # left before summer
    pupil("冯三", "男", "2015-05-03", 4, "复学", 变动日期="2024-10-20"),
    pupil("何四", "女", "2016-06-04", 3, "转入", 变动日期="2024-11-05"),
    pupil("许五", "男", "2011-07-05", 8, "退学", 变动日期="2025-01-10"),
    pupil("马六", "女", "2017-08-06", 2, "在读"),
]


def real_workbook(path: Path) -> Path:
    return workbook_write(path, {"单位": UNITS, "人口": PEOPLE, "学籍": ROLLS})


@pytest.mark.parametrize("number", [LIU_ID, CHEN_ID, HUANG_ID])
def test_a_region_code_younger_than_its_holder_is_accepted(number: str) -> None:
    assert id_number_parse(number)[0] == number
    assert id_number_problem(number, id_number_parse(number)[1], id_number_parse(number)[2]) is None


@pytest.mark.parametrize("area", ["511020", "999999", "110199"])
def test_a_region_code_that_never_existed_is_a_row_error_in_words(area: str) -> None:
    number = id_number_make(datetime.date(2010, 7, 1), male=False, area=area)
    with pytest.raises(CellError, match=f"前 6 位 {area} 不是任何时期用过的行政区划代码"):
        id_number_parse(number)
    problem = id_number_problem(number, datetime.date(2010, 7, 1), "女")
    assert problem is not None and "行政区划代码" in problem


@pytest.mark.parametrize(
    ("cell", "grade"), [("高一", 10), ("高三", 12), (11, 11), ("十二年级", 12), ("初二", 8)]
)
def test_grades_elsewhere_go_up_to_senior_school(cell: object, grade: int) -> None:
    assert grade_elsewhere_parse(cell) == grade


def test_the_real_register_imports_and_says_what_each_roll_change_means(tmp_path: Path) -> None:
    result = workbook_import(path=real_workbook(tmp_path / "real.xlsx"), school_year=2024)

    assert result.ok, [e.line() for e in result.errors]
    rolls = {e.name: e for e in Enrollment.objects.all()}
    assert (rolls["郑一"].status, rolls["郑一"].status_date) == ("休学", datetime.date(2024, 3, 10))
    assert (rolls["钱二"].status, rolls["钱二"].status_date) == ("辍学", datetime.date(2024, 6, 15))
    assert (rolls["冯三"].status, rolls["冯三"].status_date) == (
        "在读",
        datetime.date(2024, 10, 20),
    )
    assert list(rolls["冯三"].events.values_list("kind", flat=True)) == ["复学"]
    assert (rolls["何四"].status, rolls["何四"].entry_date) == ("在读", datetime.date(2024, 11, 5))
    assert list(rolls["何四"].events.values_list("kind", flat=True)) == ["入学"]
    assert (rolls["许五"].status, rolls["许五"].status_date) == ("辍学", datetime.date(2025, 1, 10))
    senior = PersonRecord.objects.get(person__name="周敏")
    assert (senior.elsewhere_level, senior.elsewhere_grade) == ("高中", 11)


def test_importing_the_real_register_again_changes_nothing(tmp_path: Path) -> None:
    path = real_workbook(tmp_path / "real.xlsx")
    workbook_import(path=path, school_year=2024)
    before = snapshot(2024)

    again = workbook_import(path=path, school_year=2024)

    assert again.ok and not again.changed
    assert snapshot(2024) == before


def test_pre_year_changes_held_from_the_first_day(tmp_path: Path) -> None:
    """休学 since the spring: on the register at the start, not enrolled on 1 Sept, no dropout.
    辍学 before the summer: neither on the register nor a dropout of this year. 复学 in October:
    on the register from the start. 转入 in November: not on the start roll. 退学 in January: a
    dropout."""
    workbook_import(path=real_workbook(tmp_path / "real.xlsx"), school_year=2024)

    town = indicators_compute(school_year=2024).units[0]
    figures = {v.code: (v.numerator, v.denominator) for v in town.indicators}

    assert figures["primary_dropout"] == (0, 3)  # 郑一, 冯三, 马六 on the start roll
    assert figures["junior_dropout"] == (1, 1)  # 许五; 钱二 left before the year
    # Aged 7–12 on 1 Sept 2024: 马六 (7), 何四 (8), 冯三 (9), 郑一 (10). 何四 joined in November
    # and 郑一 is on leave; 冯三 is 在读 again only from his 复学 in October (product.md:
    # 复学 = 在读 again from 变动日期), so on 1 Sept only 马六 is enrolled.
    assert figures["primary_enrollment"] == (1, 4)
    assert figures["junior_completion_17"] == (1, 1)  # 吴强 at a 中职
    assert figures["primary_completion_15"] == (1, 1)  # 孙丽 at senior school
