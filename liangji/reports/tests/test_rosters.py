"""Rosters hold exactly the people the matching indicator, shortfall list or table counts."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from liangji.demo.generator import town_workbooks_write
from liangji.imports.services import workbook_import
from liangji.indicators.selectors import indicators_compute, shortfall_list
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import Unit
from liangji.reports import rosters, statistics
from liangji.reports.catalogue import report_request
from liangji.reports.tests.conftest import World

TODAY = datetime.date(2024, 3, 1)


def _people(sheets: list[Any]) -> list[tuple[str, str]]:
    """(name, birth date) of every line of every sheet."""
    return sorted((row[1], row[3]) for sheet in sheets for row in sheet.rows)


def _rolls(sheets: list[Any]) -> list[tuple[str, str]]:
    return sorted((row[2], row[4]) for sheet in sheets for row in sheet.rows)


def check_rosters(town: Unit, year: int) -> None:
    request = report_request(school_year=year, town=town, unit=town, today=TODAY)
    report = indicators_compute(school_year=year, town=town, include_groups=False)
    figures = report.units[0]

    def shortfall(code: str) -> list[tuple[str, str]]:
        rows = shortfall_list(code=code, school_year=year, unit=town)
        return sorted((r.name, r.birth_date.isoformat()) for r in rows)

    illiterate = rosters.illiterate(request)
    assert _people(illiterate) == shortfall("literacy_15_50")
    dropouts = rosters.dropouts(request)
    assert _rolls(dropouts) == sorted(shortfall("primary_dropout") + shortfall("junior_dropout"))
    assert sum(len(s.forms) for s in dropouts) == sum(len(s.rows) for s in dropouts)

    age_15 = rosters.age_15(request)
    assert len(_people(age_15)) == figures.get("primary_completion_15").denominator
    not_done = sorted((r[1], r[3]) for s in age_15 for r in s.rows if r[7] == "未完成")
    assert not_done == shortfall("primary_completion_15")
    age_17 = rosters.age_17(request)
    not_done = sorted((r[1], r[3]) for s in age_17 for r in s.rows if r[7] == "未完成")
    assert not_done == shortfall("junior_completion_17")

    for build, code in ((rosters.disabled, "disabled_enrollment"),
                        (rosters.migrants, "migrant_enrollment")):  # fmt: skip
        assert len(_people(build(request))) == figures.get(code).denominator, code

    # The 0–17 roster of each village is that village's 0–17 table.
    tables = {s.unit: s for s in statistics.population_0_17(request)[1:]}
    for sheet in rosters.children(request):
        assert len(sheet.rows) == tables[sheet.unit].rows[-1][1], sheet.unit


def test_the_hand_built_town(world: World) -> None:
    check_rosters(world.cast.town, 2023)
    request = report_request(school_year=2023, town=world.cast.town, unit=world.cast.town,
                             today=TODAY)  # fmt: skip
    east, _ = rosters.children(request)
    line = next(r for r in east.rows if r[1] == "张小明")
    assert line[5] == "5118**********1234"
    assert line[7:9] == ["小学在校", "青山小学"]
    assert [r[1] for r in east.rows if r[7] == "未入学"] == ["王小二", "钱十五"]
    (junior,) = [s for s in rosters.dropouts(request) if s.rows]
    assert [r[2] for r in junior.rows] == ["孙辍学"]
    assert dict(junior.forms[0])["辍学日期"] == "2023-11-01"


def test_ids_are_whole_only_when_revealed(world: World) -> None:
    request = report_request(school_year=2023, town=world.cast.town, unit=world.cast.east,
                             today=TODAY, full_ids=True)  # fmt: skip
    (east,) = rosters.children(request)
    assert next(r for r in east.rows if r[1] == "张小明")[5] == "511802201503011234"


@pytest.mark.django_db
def test_a_generated_demo_town(tmp_path: Path) -> None:
    for workbook in town_workbooks_write(tmp_path, people_per_town=1500, seed=11):
        assert workbook_import(path=workbook.path, school_year=workbook.year).ok
    check_rosters(Unit.objects.get(kind__in=TOWN_KINDS), workbook.year)
