"""Readiness: each of the four veto causes makes a unit not ready; a clean unit is ready."""

from __future__ import annotations

import datetime
from decimal import Decimal

from liangji.inspection.choices import SafetyGrade
from liangji.inspection.models import SelfCheck
from liangji.inspection.readiness import readiness_compute
from liangji.inspection.services.conditions import (
    building_save,
    funding_year_save,
    hazard_close,
    hazard_record,
)
from liangji.inspection.tests.conftest import report_for

TODAY = datetime.date(2025, 5, 1)


def _readiness(cast, report=None, user=None):
    return readiness_compute(
        user=user or cast.olivia,
        town=cast.town,
        school_year=cast.year,
        report=report if report is not None else report_for(cast),
        today=TODAY,
    )


def _unit(result, unit):
    return next(row for row in result.units if row.unit == unit)


def test_a_clean_town_and_every_unit_are_ready(clean_town):
    result = _readiness(clean_town)

    assert result.town.ready, result.town.reasons
    assert [row.unit.name for row in result.units if row.ready] == ["东村", "青石中学", "青石小学"]


def test_a_d_grade_building_in_use_makes_the_school_and_the_town_not_ready(clean_town):
    building_save(
        school=clean_town.primary,
        name="旧平房",
        area=Decimal("180.0"),
        safety_grade=SafetyGrade.D,
        in_use=True,
        user=None,
    )

    result = _readiness(clean_town)

    primary = _unit(result, clean_town.primary)
    assert not primary.ready
    assert primary.vetoed
    assert primary.sorted_reasons()[0].text == "无D级危房在用：D级危房「旧平房」（180.0㎡）仍在使用"
    assert _unit(result, clean_town.junior).ready
    assert not result.town.ready
    assert result.town.reasons[0].text == "下属单位存在一票否决问题：青石小学"


def test_a_d_grade_building_out_of_use_does_not_block(clean_town):
    building_save(
        school=clean_town.primary,
        name="旧平房",
        area=Decimal("180.0"),
        safety_grade=SafetyGrade.D,
        in_use=False,
        user=None,
    )

    assert _unit(_readiness(clean_town), clean_town.primary).ready


def test_an_open_campus_hazard_blocks_until_it_is_closed(clean_town):
    hazard = hazard_record(
        school=clean_town.junior,
        description="围墙开裂",
        found_on=datetime.date(2025, 4, 2),
        user=None,
    )

    junior = _unit(_readiness(clean_town), clean_town.junior)
    assert junior.vetoed
    assert [r.text for r in junior.reasons] == [
        "校园安全隐患全部整改：校园安全隐患未整改：围墙开裂（发现于 2025-04-02）"
    ]

    hazard_close(hazard=hazard, closed_on=datetime.date(2025, 4, 10), user=None)
    assert _unit(_readiness(clean_town), clean_town.junior).ready


def test_funding_that_did_not_grow_faster_than_revenue_makes_the_town_not_ready(clean_town):
    # Appropriation +2 % (1100 → 1122) while recurrent revenue grew 5 %: the first 增长 fails.
    funding_year_save(
        unit=clean_town.town,
        year=2025,
        appropriation=Decimal("1122"),
        recurrent_revenue=Decimal("22050"),
        per_pupil_spending=Decimal("900"),
        teacher_avg_salary=Decimal("65000"),
        user=None,
    )
    clean_town.year.year = 2025  # judge fiscal 2025 against 2024
    clean_town.year.save()

    result = _readiness(clean_town)

    assert result.town.vetoed
    assert result.town.reasons[0].text == (
        "教育经费三个增长：教育财政拨款增长 2.00% 未高于经常性财政收入增长 5.00%"
    )
    assert all(row.ready for row in result.units)


def test_funding_without_the_previous_year_on_file_is_not_ready(clean_town):
    clean_town.year.year = 2023  # 2022 is not on file
    clean_town.year.save()

    town = _readiness(clean_town).town

    assert [r.text for r in town.reasons] == [
        "教育经费三个增长：缺少 2022 年教育经费数据，无法判定“三个增长”"
    ]


def test_an_indicator_below_target_makes_the_village_not_ready(clean_town):
    # 2,999 of 3,000 children enrolled: 99.97 % rounds to 100.0 but misses the 100 % target.
    report = report_for(clean_town, {("东村", "primary_enrollment"): (2999, 3000)})

    village = _unit(_readiness(clean_town, report), clean_town.village)

    assert village.vetoed
    assert [r.text for r in village.reasons] == ["小学适龄儿童入学率 99.97%，未达到目标 100%"]


def test_veto_reasons_come_before_the_others(clean_town):
    report = report_for(
        clean_town,
        {("东村", "literacy_15_50"): (98, 100), ("东村", "junior_net_enrollment"): (90, 100)},
    )
    SelfCheck.objects.filter(unit=clean_town.village).delete()  # a reason that is no veto

    village = _unit(_readiness(clean_town, report), clean_town.village)

    assert [(r.veto, r.item_code) for r in village.sorted_reasons()] == [
        (True, "P03"),
        (True, "L01"),
        (False, ""),
    ]


def test_the_literacy_rate_of_15_to_50_year_olds_is_a_veto_item(clean_town):
    """domain.md §6: the universalisation level, literacy included, is one-vote veto."""
    report = report_for(clean_town, {("东村", "literacy_15_50"): (98, 100)})

    village = _unit(_readiness(clean_town, report), clean_town.village)

    assert village.vetoed
    assert [(r.veto, r.item_code) for r in village.reasons] == [(True, "L01")]


def test_an_unreported_self_check_and_open_rectifications_are_reasons_too(cast):
    result = _readiness(cast)

    primary = _unit(result, cast.primary)
    assert "自查报告尚未上报" in [r.text for r in primary.reasons]
    assert "专任教师学历合格：教师登记为空，无法判定学历合格率" in [r.text for r in primary.reasons]
    assert not primary.vetoed


def test_a_school_user_sees_only_its_own_school(clean_town):
    result = _readiness(clean_town, user=clean_town.pat)

    assert result.town is None
    assert [row.unit.name for row in result.units] == ["青石小学"]
