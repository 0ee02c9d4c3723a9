"""A small, explicit register for the page tests (school year 2024 of the cast's town)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from liangji.accounts.testing import Cast
from liangji.registers.choices import PriorityGroup, Sex
from liangji.registers.models import (
    Enrollment,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)


@dataclass
class Register:
    year: SchoolYear
    xiaoming: Person  # 东村, 9 years old, pupil of 青山小学, 留守儿童
    xiaohong: Person  # 西村, 14 years old, no roll
    nanshan: Person  # 南村 of the other town
    xiaoming_record: PersonRecord
    xiaohong_record: PersonRecord
    xiaoming_roll: Enrollment


def _person(
    cast_village: Unit, year: SchoolYear, number: str, name: str, initials: str,
    born: datetime.date, id_number: str | None,
) -> tuple[Person, PersonRecord]:  # fmt: skip
    household, _ = Household.objects.get_or_create(village=cast_village, number=number)
    person = Person.objects.create(
        name=name, sex=Sex.MALE, birth_date=born, id_number=id_number, name_initials=initials
    )
    record = PersonRecord.objects.create(
        person=person, school_year=year, household=household, village=cast_village
    )
    return person, record


def register_create(cast: Cast) -> Register:
    year = SchoolYear.objects.create(year=2024)
    xiaoming, xiaoming_record = _person(
        cast.east, year, "001", "张小明", "zxm", datetime.date(2015, 3, 1), "511802201503011234"
    )
    GroupMembership.objects.create(record=xiaoming_record, group=PriorityGroup.LEFT_BEHIND)
    xiaohong, xiaohong_record = _person(
        cast.west, year, "007", "李小红", "lxh", datetime.date(2010, 5, 20), None
    )
    nanshan, _ = _person(
        cast.south, year, "101", "王南山", "wns", datetime.date(2012, 1, 9), "511803201201091111"
    )
    roll = Enrollment.objects.create(
        school_year=year, school=cast.primary, person=xiaoming, name="张小明", sex=Sex.MALE,
        birth_date=datetime.date(2015, 3, 1), grade=4, student_number="G511802201503011234",
    )  # fmt: skip
    return Register(
        year=year,
        xiaoming=xiaoming,
        xiaohong=xiaohong,
        nanshan=nanshan,
        xiaoming_record=xiaoming_record,
        xiaohong_record=xiaohong_record,
        xiaoming_roll=roll,
    )


# A small workbook of another town (试点镇) for the import tests; `bad` puts one wrong sex in.
UNITS = [["镇", "试点镇", "", ""], ["村", "甲村", "", "试点镇"], ["小学", "试点小学", "", "试点镇"]]
PERSON_HEADER = ["村/社区*", "户号*", "姓名*", "性别*", "出生日期*", "人口类型*"]
ROLL_HEADER = ["学校*", "姓名*", "性别*", "出生日期*", "年级*", "学籍状态*"]


def workbook_write(path: Path, *, bad: bool) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, header, rows in [
        ("单位", ["类型*", "名称*", "代码", "所属"], UNITS),
        ("人口", PERSON_HEADER, [
            ["甲村", "1", "周一", "男", "2015-03-01", "户籍"],
            ["甲村", "1", "周二", "未知" if bad else "女", "2013-07-09", "户籍"],
        ]),
        ("学籍", ROLL_HEADER, [["试点小学", "周一", "男", "2015-03-01", "4", "在读"]]),
    ]:  # fmt: skip
        sheet = book.add_worksheet(name)
        for n, row in enumerate([header, *rows]):
            sheet.write_row(n, 0, row)
    book.close()
    return path
