"""The statistical tables against the indicator engine: every figure a table shares with an
indicator is the engine's figure for the same unit and year, and the town's table is the sum of
its villages' (schools') tables. Run on the hand-built 青山镇 and on a generated demo town."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from liangji.demo.generator import town_workbooks_write
from liangji.imports.services import workbook_import
from liangji.indicators.selectors import indicators_compute
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import Unit
from liangji.reports import statistics
from liangji.reports.catalogue import ReportRequest, report_request
from liangji.reports.layout import Sheet
from liangji.reports.tests.conftest import World

TODAY = datetime.date(2024, 3, 1)


def _request(town: Unit, year: int, unit: Unit | None = None) -> ReportRequest:
    return report_request(school_year=year, town=town, unit=unit or town, today=TODAY)


def _any(sheets: list[Sheet]) -> list[Any]:
    """The sheets with their cells untyped: the tests compare them with integers."""
    return list(sheets)


def _row(sheet: Sheet, label: object) -> list[Any]:
    return next(r for r in sheet.rows if r[0] == label)


def _data_rows(sheet: Sheet) -> list[list[Any]]:
    return [r for i, r in enumerate(sheet.rows) if i not in sheet.total_rows]


def check_tables_against_the_engine(town: Unit, year: int) -> None:
    report = indicators_compute(school_year=year, town=town, include_groups=False)
    units = {u.unit_id: u for u in report.units}
    request = _request(town, year)

    def engine(unit_id: int | None, code: str) -> tuple[int, int]:
        value = units[unit_id].get(code)
        return value.numerator, value.denominator

    names = {u.name: u.unit_id for u in report.units}
    names["合计"] = town.pk

    # 适龄儿童少年入学情况: 应入学/已入学 and the junior figures, village by village and the town.
    (sheet,) = _any(statistics.enrollment(request))
    for row in sheet.rows:
        unit_id = names[row[0]]
        assert (row[5], row[4]) == engine(unit_id, "primary_enrollment"), row
        assert (row[11], row[10]) == engine(unit_id, "junior_gross_enrollment"), row
        assert row[13] == engine(unit_id, "junior_net_enrollment")[0], row
        assert row[8] == f"{units[unit_id].get('primary_enrollment').value}%" or row[8] == "—"
    _assert_total_is_the_sum(sheet, skip={8, 12, 14})

    (sheet,) = _any(statistics.completion(request))
    for row in sheet.rows:
        unit_id = names[row[0]]
        assert (row[2], row[1]) == engine(unit_id, "primary_completion_15")
        assert (row[6], row[5]) == engine(unit_id, "illiteracy_15")
        assert (row[9], row[8]) == engine(unit_id, "junior_completion_17")
    _assert_total_is_the_sum(sheet, skip={4, 7, 11})

    for build, code in ((statistics.disabled, "disabled_enrollment"),
                        (statistics.migrant, "migrant_enrollment")):  # fmt: skip
        (sheet,) = _any(build(request))
        for row in sheet.rows:
            assert (row[2], row[1]) == engine(names[row[0]], code)
            # The parts of the enrolled add up to the enrolled.
            assert sum(row[3:-2]) == row[2], row
        _assert_total_is_the_sum(sheet, skip={len(sheet.columns) - 1})

    # 0–17: the 15- and 17-year-olds are the completion indicators' populations.
    town_sheet, *village_sheets = _any(statistics.population_0_17(request))
    assert _row(town_sheet, 15)[1] == engine(town.pk, "primary_completion_15")[1]
    assert _row(town_sheet, 17)[1] == engine(town.pk, "junior_completion_17")[1]
    for village_sheet in village_sheets:
        village_id = names[village_sheet.unit]
        assert _row(village_sheet, 15)[1] == engine(village_id, "primary_completion_15")[1]
    _assert_sheets_add_up(town_sheet, village_sheets)

    # 青壮年文盲: the bands add up to the 15–50 indicator.
    town_sheet, *village_sheets = _any(statistics.illiteracy(request))
    total = town_sheet.rows[-1]
    assert (total[8], total[7]) == engine(town.pk, "literacy_15_50")
    assert sum(r[1] for r in town_sheet.rows[:-1]) == total[1]
    _assert_sheets_add_up(town_sheet, village_sheets)

    # 辍学 by grade: the grades add up to each school's dropout indicators.
    town_sheet, *school_sheets = _any(statistics.dropout(request))
    for sheet in [town_sheet, *school_sheets]:
        unit_id = names[sheet.unit]
        primary, junior = _row(sheet, "小学合计"), _row(sheet, "初中合计")
        assert (primary[2], primary[1]) == engine(unit_id, "primary_dropout"), sheet.unit
        assert (junior[2], junior[1]) == engine(unit_id, "junior_dropout"), sheet.unit
        assert sum(r[1] for r in sheet.rows[:6]) == primary[1]
    _assert_sheets_add_up(town_sheet, school_sheets)


def _assert_total_is_the_sum(sheet: Any, *, skip: set[int]) -> None:
    total = sheet.rows[-1]
    for column in range(1, len(total)):
        if column not in skip:
            assert sum(r[column] for r in sheet.rows[:-1]) == total[column], sheet.columns[column]


def _assert_sheets_add_up(town: Any, parts: list[Any]) -> None:
    for index, row in enumerate(town.rows):
        for column, value in enumerate(row):
            if isinstance(value, int) and column > 0:
                assert value == sum(p.rows[index][column] for p in parts), (town.title, index)


def test_the_hand_built_town(world: World) -> None:
    check_tables_against_the_engine(world.cast.town, 2023)


def test_the_hand_built_town_in_literal_figures(world: World) -> None:
    request = _request(world.cast.town, 2023)
    (sheet,) = _any(statistics.enrollment(request))
    # 东村: 张小明 (8) enrolled, 王小二 (9) not; 西村: 李小红 (7) enrolled.
    assert sheet.rows[0][:9] == ["东村", 2, 0, 0, 2, 1, 0, 1, "50.00%"]
    assert sheet.rows[-1][:9] == ["合计", 3, 0, 0, 3, 2, 0, 1, "66.67%"]
    town, east, _ = _any(statistics.population_0_17(request))
    assert (east.unit, _row(east, 15)[1:3]) == ("东村", [1, 1])  # 钱十五, a girl
    assert _row(town, 15)[1:3] == [2, 1]
    town_dropout = _any(statistics.dropout(request))[0]
    assert _row(town_dropout, "8年级")[1:5] == [1, 1, 0, "100.00%"]
    illiteracy = _any(statistics.illiteracy(request))[0]
    assert illiteracy.rows[2][0] == "35—50周岁" and illiteracy.rows[2][5] == 1  # 周文盲


def test_a_village_asks_for_its_own_table_only(world: World) -> None:
    request = report_request(
        school_year=2023, town=world.cast.town, unit=world.cast.east, today=TODAY,
        unit_ids={world.cast.east.pk},
    )  # fmt: skip
    (sheet,) = _any(statistics.enrollment(request))
    assert [r[0] for r in sheet.rows] == ["东村", "合计"]
    assert [s.unit for s in statistics.population_0_17(request)] == ["东村"]


@pytest.mark.django_db
def test_a_generated_demo_town(tmp_path: Path) -> None:
    for workbook in town_workbooks_write(tmp_path, people_per_town=1500, seed=7):
        result = workbook_import(path=workbook.path, school_year=workbook.year)
        assert result.ok, result.summary_lines()
    town = Unit.objects.get(kind__in=TOWN_KINDS)
    assert Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).count() > 1
    assert Unit.objects.filter(parent=town, kind__in=SCHOOL_KINDS).count() > 1
    check_tables_against_the_engine(town, workbook.year)


def test_the_literacy_columns_count_the_years_learners(world: World) -> None:
    from liangji.literacy.models import ClassMember, LiteracyClass
    from liangji.registers.models import SchoolYear

    klass = LiteracyClass.objects.create(
        school_year=SchoolYear.objects.get(year=2023), town=world.cast.town,
        village=world.cast.east, name="东村扫盲班", planned_hours=120,
        opened_on=datetime.date(2023, 10, 8),
    )  # fmt: skip
    ClassMember.objects.create(
        klass=klass, person=world.illiterate.person, joined_on=datetime.date(2023, 10, 8)
    )
    town, east, west = _any(statistics.illiteracy(_request(world.cast.town, 2023)))
    # 周文盲 is 40: the 35–50 band of 东村 and of the town.
    assert [r[10] for r in east.rows] == [0, 0, 1, 1]
    assert [r[10] for r in town.rows] == [0, 0, 1, 1]
    assert [r[10] for r in west.rows] == [0, 0, 0, 0]
    assert town.rows[-1][11] == 0  # no certificate issued yet
