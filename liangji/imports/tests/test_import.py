"""Importing the workbook of 青山镇: what is written, matched, kept, updated and removed."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

import pytest

from liangji.audit.models import AuditAction, AuditEntry
from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import (
    LI_SI_ID,
    PEOPLE,
    PUPILS,
    UNITS,
    ZHANG_SAN_ID,
    id_number_make,
    town_workbook,
    workbook_write,
)
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)

pytestmark = pytest.mark.django_db


def snapshot(year: int) -> dict[str, list[tuple]]:
    """Every register row of one school year, as plain values."""
    return {
        "records": list(
            PersonRecord.objects.filter(school_year__year=year).order_by("pk").values_list()
        ),
        "groups": list(
            GroupMembership.objects.filter(record__school_year__year=year)
            .order_by("pk")
            .values_list()
        ),
        "rolls": list(
            Enrollment.objects.filter(school_year__year=year).order_by("pk").values_list()
        ),
        "events": list(
            EnrollmentEvent.objects.filter(enrollment__school_year__year=year)
            .order_by("pk")
            .values_list()
        ),
    }


def test_the_town_workbook_becomes_units_households_people_and_rolls(tmp_path: Path) -> None:
    result = workbook_import(path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023)

    assert result.ok and result.changed
    assert Unit.objects.get(name="青山小学").parent == Unit.objects.get(name="青山镇")
    assert Unit.objects.get(name="青山小学").code == "X01"
    assert Household.objects.count() == 3
    assert Person.objects.count() == 4
    zhang = Person.objects.get(id_number=ZHANG_SAN_ID)
    assert (zhang.name, zhang.sex, zhang.birth_date, zhang.name_initials) == (
        "张三",
        "男",
        datetime.date(2012, 3, 15),
        "zs",
    )
    record = PersonRecord.objects.get(person=zhang, school_year__year=2023)
    assert record.village.name == "东村" and record.household.number == "001"
    assert set(record.groups.values_list("group", flat=True)) == {"留守儿童", "建档立卡"}
    li = PersonRecord.objects.get(person__id_number=LI_SI_ID)
    assert (li.elsewhere_level, li.elsewhere_school, li.elsewhere_proof) == (
        "初中",
        "广州市第一中学",
        False,
    )
    assert result.counts["人口"].created == 4
    assert result.villages == {"东村": 2, "西村": 2}
    assert result.schools == {"青山中学": 1, "青山小学": 2}
    assert any("李四" in warning and "证明" in warning for warning in result.warnings)
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_pupils_are_matched_by_id_else_by_name_sex_and_birth_date(tmp_path: Path) -> None:
    workbook_import(path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023)

    rolls = {e.name: e for e in Enrollment.objects.select_related("person")}
    assert rolls["张三"].person == Person.objects.get(id_number=ZHANG_SAN_ID)
    assert rolls["王五"].person == Person.objects.get(name="王五")  # no ID number on either sheet
    assert rolls["赵六"].person is None  # not in 人口: a reconciliation finding, not an error
    assert rolls["张三"].grade == 6 and rolls["赵六"].grade == 8


def test_roll_events_follow_entry_date_and_status(tmp_path: Path) -> None:
    workbook_import(path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023)

    wang = Enrollment.objects.get(name="王五")
    assert (wang.status, wang.status_date, wang.entry_date) == (
        "辍学",
        datetime.date(2024, 3, 1),
        datetime.date(2023, 10, 8),
    )
    assert list(wang.events.values_list("kind", "date")) == [
        ("入学", datetime.date(2023, 10, 8)),
        ("辍学", datetime.date(2024, 3, 1)),
    ]
    zhao = Enrollment.objects.get(name="赵六")
    assert zhao.transfer_school == "县一中"
    assert list(zhao.events.values_list("kind", "date", "other_school")) == [
        ("转出", datetime.date(2023, 12, 1), "县一中")
    ]
    assert not Enrollment.objects.get(name="张三").events.exists()


def test_importing_the_same_file_again_writes_nothing(tmp_path: Path) -> None:
    path = town_workbook(tmp_path / "青山镇.xlsx")
    workbook_import(path=path, school_year=2023)
    before = snapshot(2023)
    audits = AuditEntry.objects.count()

    again = workbook_import(path=path, school_year=2023)

    assert again.ok and not again.changed
    assert "无变化" in again.summary_lines()[0]
    assert all(c.created == c.updated == c.removed == 0 for c in again.counts.values())
    assert snapshot(2023) == before  # same pks, same versions, same events
    assert AuditEntry.objects.count() == audits


def test_a_corrected_file_updates_in_place_and_removes_rows_no_longer_there(
    tmp_path: Path,
) -> None:
    workbook_import(path=town_workbook(tmp_path / "v1.xlsx"), school_year=2023)
    wang_record = PersonRecord.objects.get(person__name="王五")
    zhao_roll = Enrollment.objects.get(name="赵六")
    people = copy.deepcopy(PEOPLE)
    people[3]["文化程度"] = "小学毕业"
    del people[1]  # 张小妹 is no longer on the register of 东村
    pupils = copy.deepcopy(PUPILS)
    pupils[2]["年级"] = "初三"

    result = workbook_import(
        path=town_workbook(tmp_path / "v2.xlsx", 人口=people, 学籍=pupils), school_year=2023
    )

    assert result.ok
    assert (result.counts["人口"].updated, result.counts["人口"].removed) == (1, 1)
    assert result.counts["学籍"].updated == 1
    wang_record.refresh_from_db()
    assert (wang_record.education_level, wang_record.version) == ("小学毕业", 2)
    zhao_roll.refresh_from_db()
    assert (zhao_roll.grade, zhao_roll.version) == (9, 2)
    assert not PersonRecord.objects.filter(person__name="张小妹").exists()
    assert Person.objects.filter(name="张小妹").exists()  # the identity stays for other years
    assert zhao_roll.events.count() == 1


def test_a_new_school_year_reuses_identities_and_leaves_the_old_year_identical(
    tmp_path: Path,
) -> None:
    workbook_import(path=town_workbook(tmp_path / "2023.xlsx"), school_year=2023)
    year_2023 = snapshot(2023)
    people = copy.deepcopy(PEOPLE)
    people[0]["特殊群体"] = "建档立卡"
    pupils = copy.deepcopy(PUPILS)
    pupils[0]["年级"] = "初一"
    pupils[1].update({"变动日期": "2025-01-10", "入学日期": ""})
    pupils[2].update({"变动日期": "2024-10-01"})

    result = workbook_import(
        path=town_workbook(tmp_path / "2024.xlsx", 人口=people, 学籍=pupils), school_year=2024
    )

    assert result.ok
    assert snapshot(2023) == year_2023
    assert Person.objects.count() == 4  # 张小妹 and 王五 (no ID) found again by household
    assert PersonRecord.objects.filter(school_year__year=2024).count() == 4
    assert result.counts["人员"].created == 0
    zhang_2024 = PersonRecord.objects.get(person__name="张三", school_year__year=2024)
    assert list(zhang_2024.groups.values_list("group", flat=True)) == ["建档立卡"]


def test_a_locked_year_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    SchoolYear.objects.create(year=2023, locked=True)

    result = workbook_import(path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023)

    assert result.rejected
    assert "已审核锁定" in result.errors[0].message
    assert Unit.objects.count() == Person.objects.count() == Enrollment.objects.count() == 0


def test_a_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    result = workbook_import(
        path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023, dry_run=True
    )

    assert result.ok and result.dry_run and result.changed
    assert result.counts["人口"].created == 4 and result.counts["学籍"].created == 3
    assert "预检" in result.summary_lines()[0]
    assert Unit.objects.count() == Person.objects.count() == SchoolYear.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_town_keeps_its_county_and_units_are_upserted_by_name(tmp_path: Path) -> None:
    county = Unit.objects.create(kind="县", name="康乐县")
    town = Unit.objects.create(kind="镇", name="青山镇", parent=county)
    units = [dict(UNITS[0], 所属="康乐县"), *UNITS[1:]]
    units[3] = dict(units[3], 代码="X02")

    first = workbook_import(path=town_workbook(tmp_path / "a.xlsx", 单位=units), school_year=2023)
    again = workbook_import(path=town_workbook(tmp_path / "b.xlsx"), school_year=2023)

    assert first.ok and again.ok
    town.refresh_from_db()
    assert town.parent == county and Unit.objects.filter(name="青山镇").count() == 1
    assert (first.counts["单位"].created, first.counts["单位"].unchanged) == (4, 1)
    assert again.counts["单位"].updated == 1  # the code of 青山小学 went back to X01
    assert Unit.objects.get(name="青山小学").code == "X01"


def test_a_person_who_gets_an_id_number_keeps_the_same_identity(tmp_path: Path) -> None:
    workbook_import(path=town_workbook(tmp_path / "2023.xlsx"), school_year=2023)
    sister = Person.objects.get(name="张小妹")
    new_id = id_number_make(datetime.date(2016, 9, 2), male=False, seq=7)
    people = copy.deepcopy(PEOPLE)
    people[1]["身份证号"] = new_id

    result = workbook_import(
        path=town_workbook(tmp_path / "fix.xlsx", 人口=people), school_year=2023
    )

    assert result.ok and result.counts["人员"].updated == 1
    sister.refresh_from_db()
    assert sister.id_number == new_id
    assert Person.objects.count() == 4
    assert result.counts["人口"].unchanged == 4  # the year's record itself did not change


def test_an_earlier_year_entered_later_finds_the_same_people(tmp_path: Path) -> None:
    later = workbook_write(tmp_path / "2024.xlsx", {"单位": UNITS, "人口": PEOPLE})
    assert workbook_import(path=later, school_year=2024).ok

    result = workbook_import(path=town_workbook(tmp_path / "2023.xlsx"), school_year=2023)

    assert result.ok and result.counts["人员"].created == 0
    assert Person.objects.count() == 4
