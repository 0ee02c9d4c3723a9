"""Rectification, the application rule and the inspection chain."""

from __future__ import annotations

import datetime

import pytest

from liangji.audit.models import AuditEntry
from liangji.inspection.choices import (
    InspectionLevel,
    ItemResult,
    RectificationStatus,
    Severity,
)
from liangji.inspection.models import InspectionApplication, Rectification, StandardItem
from liangji.inspection.services.applications import application_submit, inspection_result_record
from liangji.inspection.services.errors import InspectionRuleError
from liangji.inspection.services.rectification import (
    finding_record,
    rectification_reject,
    rectification_submit,
    rectification_verify,
    visit_record,
)
from liangji.inspection.services.self_checks import (
    self_check_create,
    self_check_result_set,
    self_check_submit,
)
from liangji.inspection.tests.conftest import DAY, report_for, self_check_all_met

MAY_1 = datetime.date(2025, 5, 1)


def _failed_item(cast):
    check = self_check_create(
        unit=cast.village,
        school_year=cast.year,
        checked_on=DAY,
        user=cast.victor,
        indicator_report=report_for(cast),
    )
    item = StandardItem.objects.get(code="L02")
    result = self_check_result_set(
        self_check=check,
        item=item,
        result=ItemResult.NOT_MET,
        comment="文化技术学校没有固定教室",
        user=cast.victor,
    )
    return check, result


def test_a_failed_self_check_item_becomes_a_rectification_due_in_30_days(cast):
    _, result = _failed_item(cast)

    task = result.rectification
    assert task.unit == cast.village
    assert task.problem == "L02 村（居）民文化技术学校：文化技术学校没有固定教室"
    assert task.deadline == datetime.date(2025, 5, 20)
    assert task.status == RectificationStatus.OPEN


def test_a_failed_item_needs_a_comment(cast):
    check = self_check_create(unit=cast.village, school_year=cast.year, checked_on=DAY, user=None)

    with pytest.raises(InspectionRuleError, match="L03 未达标，请在说明中写明存在的问题"):
        self_check_result_set(
            self_check=check,
            item=StandardItem.objects.get(code="L03"),
            result=ItemResult.NOT_MET,
            comment=" ",
            user=None,
        )


def test_a_self_check_cannot_be_reported_with_items_missing(cast):
    check = self_check_create(
        unit=cast.primary,
        school_year=cast.year,
        checked_on=DAY,
        user=None,
        indicator_report=report_for(cast),
    )

    with pytest.raises(InspectionRuleError, match="还有 18 个检查项目没有结果：P11、T02"):
        self_check_submit(self_check=check, summary="", user=None)


def test_automatic_items_are_judged_when_the_self_check_opens(cast):
    check = self_check_create(
        unit=cast.primary,
        school_year=cast.year,
        checked_on=DAY,
        user=None,
        indicator_report=report_for(cast),
    )

    results = {r.item.code: (r.result, r.comment) for r in check.results.select_related("item")}
    assert results["P06"] == (ItemResult.MET, "系统按登记数据自动判定达标")
    assert results["T01"] == (ItemResult.NOT_MET, "教师登记为空，无法判定学历合格率")
    assert results["C01"][0] == ItemResult.MET
    assert Rectification.objects.filter(unit=cast.primary).count() == 1


def test_rectification_moves_only_along_its_workflow(cast):
    _, result = _failed_item(cast)
    task = result.rectification

    with pytest.raises(InspectionRuleError, match="当前为“整改中”，不能改为“已销号”"):
        rectification_verify(rectification=task, comment="", today=MAY_1, user=cast.olivia)
    with pytest.raises(InspectionRuleError, match="请上传整改佐证材料或写明佐证说明"):
        rectification_submit(
            rectification=task, measure="腾出村委会二楼", evidence_note="", user=cast.victor
        )

    rectification_submit(
        rectification=task,
        measure="腾出村委会二楼作教室",
        evidence_note="教室照片3张",
        user=cast.victor,
    )
    with pytest.raises(InspectionRuleError, match="您的角色不能验收"):
        rectification_verify(rectification=task, comment="", today=MAY_1, user=cast.victor)
    rectification_reject(rectification=task, comment="照片看不出是教室", user=cast.olivia)
    rectification_submit(
        rectification=task,
        measure="腾出村委会二楼作教室",
        evidence_note="挂牌照片、课桌照片",
        user=cast.victor,
    )
    rectification_verify(rectification=task, comment="已核实", today=MAY_1, user=cast.olivia)

    task.refresh_from_db()
    assert (task.status, task.closed_on, task.reviewed_by) == (
        RectificationStatus.CLOSED,
        MAY_1,
        cast.olivia,
    )
    assert AuditEntry.objects.filter(entity="Rectification", entity_id=str(task.pk)).count() == 4


def test_a_unit_with_an_open_rectification_cannot_apply_for_town_inspection(cast):
    check, result = _failed_item(cast)
    for item_code in ["P11", "Q05", "L03", "L04"]:
        self_check_result_set(
            self_check=check,
            item=StandardItem.objects.get(code=item_code),
            result=ItemResult.MET,
            user=None,
        )
    self_check_submit(self_check=check, summary="", user=None)

    with pytest.raises(InspectionRuleError) as refused:
        application_submit(
            unit=cast.village,
            school_year=cast.year,
            level=InspectionLevel.TOWN,
            applied_on=MAY_1,
            report="",
            user=None,
        )
    assert str(refused.value) == (
        "东村 暂不能申请镇级检查：还有 1 项整改任务未验收销号"
        "（L02 村（居）民文化技术学校：文化技术学校没有固定教室），全部销号后才能申请镇级检查"
    )
    assert not InspectionApplication.objects.exists()

    task = result.rectification
    rectification_submit(rectification=task, measure="腾出教室", evidence_note="照片", user=None)
    rectification_verify(rectification=task, comment="", today=MAY_1, user=None)
    application = application_submit(
        unit=cast.village,
        school_year=cast.year,
        level=InspectionLevel.TOWN,
        applied_on=MAY_1,
        report="",
        user=None,
    )
    assert application.level == InspectionLevel.TOWN


def test_a_unit_that_has_not_reported_its_self_check_cannot_apply(cast):
    with pytest.raises(InspectionRuleError, match="还没有上报自查报告"):
        application_submit(
            unit=cast.primary,
            school_year=cast.year,
            level=InspectionLevel.TOWN,
            applied_on=MAY_1,
            report="",
            user=None,
        )


def test_the_town_applies_for_county_review_only_when_every_unit_passed(clean_town):
    cast = clean_town
    for unit in cast.units[:2]:
        application_submit(
            unit=unit,
            school_year=cast.year,
            level=InspectionLevel.TOWN,
            applied_on=MAY_1,
            report="",
            user=None,
        )
        inspection_result_record(
            unit=unit,
            school_year=cast.year,
            level=InspectionLevel.TOWN,
            inspected_on=MAY_1,
            passed=True,
            summary="合格",
            user=None,
        )

    with pytest.raises(InspectionRuleError, match="以下单位尚未通过镇级检查：青石中学"):
        application_submit(
            unit=cast.town,
            school_year=cast.year,
            level=InspectionLevel.COUNTY,
            applied_on=MAY_1,
            report="",
            user=None,
        )

    application_submit(
        unit=cast.junior,
        school_year=cast.year,
        level=InspectionLevel.TOWN,
        applied_on=MAY_1,
        report="",
        user=None,
    )
    inspection_result_record(
        unit=cast.junior,
        school_year=cast.year,
        level=InspectionLevel.TOWN,
        inspected_on=MAY_1,
        passed=True,
        summary="合格",
        user=None,
    )
    application_submit(
        unit=cast.town,
        school_year=cast.year,
        level=InspectionLevel.COUNTY,
        applied_on=MAY_1,
        report="",
        user=None,
    )
    with pytest.raises(InspectionRuleError, match="尚未通过县级复查，不能申请市级抽查"):
        application_submit(
            unit=cast.town,
            school_year=cast.year,
            level=InspectionLevel.CITY,
            applied_on=MAY_1,
            report="",
            user=None,
        )


def test_inspection_findings_open_rectifications(clean_town):
    cast = clean_town
    application_submit(
        unit=cast.primary,
        school_year=cast.year,
        level=InspectionLevel.TOWN,
        applied_on=MAY_1,
        report="",
        user=None,
    )
    result = inspection_result_record(
        unit=cast.primary,
        school_year=cast.year,
        level=InspectionLevel.TOWN,
        inspected_on=MAY_1,
        passed=False,
        summary="档案不全",
        findings=[(StandardItem.objects.get(code="P11"), "2022学年档案缺失", Severity.MAJOR)],
        user=None,
    )

    task = Rectification.objects.get(finding__inspection=result)
    assert (task.unit, task.problem, task.deadline) == (
        cast.primary,
        "2022学年档案缺失",
        datetime.date(2025, 5, 31),
    )


def test_inspection_without_application_is_refused_for_town_level(cast):
    with pytest.raises(InspectionRuleError, match="青石小学 还没有申请镇级检查"):
        inspection_result_record(
            unit=cast.primary,
            school_year=cast.year,
            level=InspectionLevel.TOWN,
            inspected_on=MAY_1,
            passed=True,
            summary="",
            user=None,
        )


def test_a_supervision_finding_must_concern_a_visited_unit(cast):
    visit = visit_record(
        town=cast.town,
        school_year=cast.year,
        visited_on=MAY_1,
        team="王镇长、李校长",
        units=[cast.primary],
        checked="校舍与安全",
        user=cast.olivia,
    )

    with pytest.raises(InspectionRuleError, match="东村 不在本次督查的单位之中"):
        finding_record(
            unit=cast.village,
            description="x",
            severity=Severity.MINOR,
            found_on=MAY_1,
            school_year=cast.year,
            visit=visit,
            user=None,
        )
    finding = finding_record(
        unit=cast.primary,
        description="消防通道堆放杂物",
        severity=Severity.SERIOUS,
        found_on=MAY_1,
        school_year=cast.year,
        visit=visit,
        user=cast.olivia,
        deadline=datetime.date(2025, 5, 8),
    )
    assert finding.rectification.deadline == datetime.date(2025, 5, 8)


def test_self_check_all_met_helper_reports(cast):
    check = self_check_all_met(cast.village, cast, report_for(cast))
    assert check.status == "已上报"


def test_a_problem_found_again_in_the_next_round_is_not_a_second_task(cast):
    first, _ = _failed_item(cast)
    second = self_check_create(
        unit=cast.village, school_year=cast.year, checked_on=MAY_1, user=None
    )
    self_check_result_set(
        self_check=second, item=StandardItem.objects.get(code="L02"),
        result=ItemResult.NOT_MET, comment="仍无固定教室", user=None,
    )  # fmt: skip

    assert Rectification.objects.filter(unit=cast.village).count() == 1
    assert second.round == first.round + 1 == 2
