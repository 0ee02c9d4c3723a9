"""A 脱盲 result written into the register survives the re-import of the autumn workbook that
still says 文盲: the register keeps it and the import lists the conflict."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import UNITS, workbook_write
from liangji.literacy.services import (
    ResultInput,
    certificate_issue,
    class_members_add,
    class_open,
    literacy_test_record,
    retest_record,
)
from liangji.registers.models import Person, PersonRecord, SchoolYear, Unit

pytestmark = pytest.mark.django_db

LEARNER = {
    "村/社区": "东村",
    "户号": "021",
    "姓名": "李桂兰",
    "性别": "女",
    "出生日期": "1990-07-07",
    "人口类型": "户籍",
    "文化程度": "文盲",
}


@pytest.fixture(autouse=True)
def july_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 7, 1, 9, 0, tzinfo=datetime.UTC)):
        yield


def test_a_certificate_written_into_the_register_survives_a_reimport(tmp_path: Path) -> None:
    autumn = workbook_write(tmp_path / "文化户口册.xlsx", {"单位": UNITS, "人口": [LEARNER]})
    assert workbook_import(path=autumn, school_year=2023).ok
    year, east = SchoolYear.objects.get(year=2023), Unit.objects.get(name="东村")
    klass = class_open(school_year=year, village=east, name="东村扫盲班", planned_hours=120,
                       opened_on=datetime.date(2023, 10, 8), user=None)  # fmt: skip
    members = class_members_add(klass=klass, persons=[Person.objects.get(name="李桂兰")],
                                joined_on=datetime.date(2023, 10, 8), user=None)  # fmt: skip
    test = literacy_test_record(klass=klass, date=datetime.date(2024, 6, 1),
                                results=[ResultInput(members[0], 1600, True, True, True)],
                                user=None)  # fmt: skip
    certificate_issue(result=test.results.get(), issued_on=datetime.date(2024, 6, 2), user=None)
    passed_level = PersonRecord.objects.get(person__name="李桂兰").education_level
    assert passed_level != "文盲"

    result = workbook_import(path=autumn, school_year=2023)

    assert PersonRecord.objects.get(person__name="李桂兰").education_level == passed_level
    [conflict] = result.conflicts
    assert conflict.who == "李桂兰（东村）"
    assert f"文化程度 系统为 {passed_level}，文件为 文盲" in conflict.what


def test_a_relapse_written_into_the_register_survives_a_reimport(tmp_path: Path) -> None:
    """The 2024 workbook still says 脱盲; the re-test of June 2025 found a relapse (复盲)."""
    autumn = workbook_write(tmp_path / "2023.xlsx", {"单位": UNITS, "人口": [LEARNER]})
    assert workbook_import(path=autumn, school_year=2023).ok
    year, east = SchoolYear.objects.get(year=2023), Unit.objects.get(name="东村")
    klass = class_open(school_year=year, village=east, name="东村扫盲班", planned_hours=120,
                       opened_on=datetime.date(2023, 10, 8), user=None)  # fmt: skip
    members = class_members_add(klass=klass, persons=[Person.objects.get(name="李桂兰")],
                                joined_on=datetime.date(2023, 10, 8), user=None)  # fmt: skip
    test = literacy_test_record(klass=klass, date=datetime.date(2024, 6, 1),
                                results=[ResultInput(members[0], 1600, True, True, True)],
                                user=None)  # fmt: skip
    certificate = certificate_issue(
        result=test.results.get(), issued_on=datetime.date(2024, 6, 2), user=None
    )
    passed = PersonRecord.objects.get(person__name="李桂兰", school_year=year).education_level
    next_autumn = workbook_write(
        tmp_path / "2024.xlsx", {"单位": UNITS, "人口": [dict(LEARNER, 文化程度=passed)]}
    )
    assert workbook_import(path=next_autumn, school_year=2024).ok
    with time_machine.travel(datetime.datetime(2025, 7, 1, 9, 0, tzinfo=datetime.UTC)):
        retest_record(certificate=certificate, date=datetime.date(2025, 6, 10),
                      characters_known=900, reading=False, accounts=False, writing=False,
                      user=None)  # fmt: skip

        result = workbook_import(path=next_autumn, school_year=2024)

    record = PersonRecord.objects.get(person__name="李桂兰", school_year__year=2024)
    assert record.education_level == "半文盲"
    [conflict] = result.conflicts
    assert conflict.who == "李桂兰（东村）"
    assert f"文化程度 系统为 半文盲，文件为 {passed}" in conflict.what
