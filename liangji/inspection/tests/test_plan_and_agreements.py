"""The work plan template, deadlines and overdue lists (time passed explicitly), and the
year-end assessment of a 目标责任书 on literal data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from liangji.inspection.choices import GroupRole, ItemResult, TaskStatus
from liangji.inspection.models import PlanTask, StandardItem
from liangji.inspection.selectors import rectifications_overdue, tasks_overdue
from liangji.inspection.services.agreements import agreement_assess, agreement_sign
from liangji.inspection.services.errors import InspectionRuleError
from liangji.inspection.services.plan import (
    org_member_save,
    plan_create_from_template,
    plan_task_create,
    plan_task_update,
)
from liangji.inspection.services.rectification import rectification_submit, rectification_verify
from liangji.inspection.services.self_checks import self_check_create, self_check_result_set
from liangji.inspection.tests.conftest import DAY, report_for


@pytest.fixture
def plan(cast):
    org_member_save(
        town=cast.town,
        name="王建国",
        post="镇长",
        group_role=GroupRole.LEADER,
        unit=cast.town,
        user=None,
    )
    org_member_save(
        town=cast.town,
        name="赵学文",
        post="学区校长",
        group_role=GroupRole.OFFICE_HEAD,
        unit=cast.primary,
        user=None,
    )
    return plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)


def test_the_template_gives_five_phases_dated_in_the_year_of_the_plan(plan):
    phases = [(p.name, p.starts_on, p.ends_on) for p in plan.phases.order_by("order")]

    assert phases == [
        ("宣传发动", datetime.date(2025, 3, 1), datetime.date(2025, 4, 30)),
        ("自查与督查整改", datetime.date(2025, 4, 1), datetime.date(2025, 5, 31)),
        ("巩固提高", datetime.date(2025, 6, 1), datetime.date(2025, 8, 31)),
        ("迎接检查验收", datetime.date(2025, 9, 1), datetime.date(2025, 10, 31)),
        ("总结", datetime.date(2025, 10, 15), datetime.date(2025, 12, 31)),
    ]
    first = PlanTask.objects.get(phase__order=1, order=1)
    assert (first.title, first.owner_person, first.deadline) == (
        "成立两基迎国检领导小组及办公室，明确职责分工",
        "王建国",
        datetime.date(2025, 3, 15),
    )
    assert PlanTask.objects.get(phase__order=1, order=3).owner_person == "赵学文"
    assert plan.title == "青石镇2025年两基迎国检工作实施方案"


def test_a_second_plan_for_the_same_year_is_refused(plan, cast):
    with pytest.raises(InspectionRuleError, match="已有工作方案"):
        plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)


def test_overdue_tasks_are_those_past_their_deadline_and_not_done(plan, cast):
    march_20 = datetime.date(2025, 3, 20)

    overdue = tasks_overdue(user=cast.olivia, today=march_20, school_year=cast.year)
    assert [t.title for t in overdue] == ["成立两基迎国检领导小组及办公室，明确职责分工"]

    plan_task_update(task=overdue[0], status=TaskStatus.DONE, today=march_20, user=cast.olivia)
    assert tasks_overdue(user=cast.olivia, today=march_20) == []
    # On its deadline a task is not yet overdue; the day after it is.
    assert tasks_overdue(user=cast.olivia, today=datetime.date(2025, 4, 15)) == []
    assert len(tasks_overdue(user=cast.olivia, today=datetime.date(2025, 4, 16))) == 1


def test_progress_and_status_stay_consistent(plan, cast):
    task = PlanTask.objects.get(phase__order=2, order=1)

    plan_task_update(task=task, percent=40, today=DAY, user=None)
    task.refresh_from_db()
    assert (task.status, task.percent, task.done_on) == (TaskStatus.IN_PROGRESS, 40, None)

    plan_task_update(task=task, percent=100, today=DAY, user=None)
    task.refresh_from_db()
    assert (task.status, task.percent, task.done_on) == (TaskStatus.DONE, 100, DAY)

    plan_task_update(task=task, status=TaskStatus.IN_PROGRESS, today=DAY, user=None)
    task.refresh_from_db()
    assert (task.status, task.percent, task.done_on) == (TaskStatus.IN_PROGRESS, 99, None)

    with pytest.raises(InspectionRuleError, match="进度 120% 不合理"):
        plan_task_update(task=task, percent=120, today=DAY, user=None)


def test_a_village_sees_only_the_overdue_tasks_it_owns(plan, cast):
    phase = plan.phases.get(order=2)
    plan_task_create(
        phase=phase,
        title="东村更新文化户口册",
        owner_unit=cast.village,
        owner_person="村主任",
        starts_on=datetime.date(2025, 4, 1),
        deadline=datetime.date(2025, 4, 10),
        user=cast.olivia,
    )
    april_11 = datetime.date(2025, 4, 11)

    assert [t.title for t in tasks_overdue(user=cast.victor, today=april_11)] == [
        "东村更新文化户口册"
    ]
    assert [t.title for t in tasks_overdue(user=cast.olivia, today=april_11)] == [
        "成立两基迎国检领导小组及办公室，明确职责分工",
        "东村更新文化户口册",
    ]
    assert tasks_overdue(user=cast.pat, today=april_11) == []


def test_overdue_rectifications(cast):
    check = self_check_create(unit=cast.village, school_year=cast.year, checked_on=DAY, user=None)
    self_check_result_set(
        self_check=check,
        item=StandardItem.objects.get(code="L04"),
        result=ItemResult.NOT_MET,
        comment="扫盲档案不全",
        user=None,
    )

    # Due 30 days after 20 April: 20 May.
    assert rectifications_overdue(user=cast.olivia, today=datetime.date(2025, 5, 20)) == []
    overdue = rectifications_overdue(user=cast.olivia, today=datetime.date(2025, 5, 21))
    assert [r.problem for r in overdue] == ["L04 扫盲档案：扫盲档案不全"]
    assert rectifications_overdue(user=cast.pat, today=datetime.date(2025, 5, 21)) == []


def test_the_assessment_score_weighs_indicators_tasks_and_rectifications_50_30_20(plan, cast):
    # Indicators: 3 of the 4 in the agreement are met → 50 × 3/4 = 37.5
    agreement = agreement_sign(
        unit=cast.village,
        school_year=cast.year,
        signed_on=datetime.date(2025, 4, 18),
        town_signatory="王建国",
        unit_signatory="东村主任",
        indicator_codes=[
            "primary_enrollment",
            "junior_net_enrollment",
            "primary_completion_15",
            "literacy_15_50",
        ],
        tasks="按时完成文化户口册更新",
        user=None,
    )
    report = report_for(cast, {("东村", "literacy_15_50"): (98, 100)})
    # Tasks: 1 of the 2 tasks the village owns is done → 30 × 1/2 = 15
    phase = plan.phases.get(order=2)
    for title in ["更新文化户口册", "整理扫盲档案"]:
        plan_task_create(
            phase=phase,
            title=title,
            owner_unit=cast.village,
            owner_person="",
            starts_on=datetime.date(2025, 4, 1),
            deadline=datetime.date(2025, 5, 1),
            user=None,
        )
    plan_task_update(
        task=PlanTask.objects.get(title="更新文化户口册"),
        status=TaskStatus.DONE,
        today=DAY,
        user=None,
    )
    # Rectifications: 1 of 2 closed → 20 × 1/2 = 10
    check = self_check_create(unit=cast.village, school_year=cast.year, checked_on=DAY, user=None)
    for code in ["L02", "L04"]:
        self_check_result_set(
            self_check=check,
            item=StandardItem.objects.get(code=code),
            result=ItemResult.NOT_MET,
            comment="不全",
            user=None,
        )
    task = check.results.get(item__code="L02").rectification
    rectification_submit(rectification=task, measure="补齐", evidence_note="照片", user=None)
    rectification_verify(rectification=task, comment="", today=DAY, user=None)

    assessment = agreement_assess(
        agreement=agreement,
        indicator_report=report,
        assessed_on=datetime.date(2025, 12, 20),
        user=None,
    )

    assert assessment.score == Decimal("62.50")
    # The missed indicator is 15–50 非文盲率, a veto item: 62.50 points, and still 不合格.
    assert assessment.band == "不合格"
    assert assessment.breakdown == {
        "indicators": {"done": 3, "total": 4, "weight": "50", "points": "37.50"},
        "tasks": {"done": 1, "total": 2, "weight": "30", "points": "15.00"},
        "rectifications": {"done": 1, "total": 2, "weight": "20", "points": "10.00"},
        "vetoes": ["15–50周岁人口非文盲率 98.00%，未达到目标 99.05%"],
    }


def _village_agreement(cast):
    return agreement_sign(
        unit=cast.village,
        school_year=cast.year,
        signed_on=datetime.date(2025, 4, 18),
        town_signatory="王建国",
        unit_signatory="东村主任",
        indicator_codes=["primary_enrollment", "literacy_15_50"],
        tasks="",
        user=None,
    )


def test_a_veto_caps_a_good_score_at_fail(cast):
    """The issue's village: 80 points would be 良好 and 通报表扬, but its literacy rate failed."""
    agreement = _village_agreement(cast)
    report = report_for(cast, {("东村", "literacy_15_50"): (98, 100)})

    assessment = agreement_assess(
        agreement=agreement,
        indicator_report=report,
        assessed_on=datetime.date(2025, 12, 20),
        user=None,
    )

    assert assessment.score == Decimal("75.00")  # 25 + 30 (no tasks) + 20 (no rectifications)
    assert assessment.band == "不合格"
    assert assessment.consequence == (
        "一票否决（15–50周岁人口非文盲率 98.00%，未达到目标 99.05%）："
        "通报批评，取消评优资格，启动问责"
    )


def test_without_a_veto_the_score_decides_the_band(cast):
    agreement = _village_agreement(cast)

    assessment = agreement_assess(
        agreement=agreement,
        indicator_report=report_for(cast),
        assessed_on=datetime.date(2025, 12, 20),
        user=None,
    )

    assert (assessment.score, assessment.band) == (Decimal("100.00"), "优秀")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("60", "合格"),
        ("59.99", "不合格"),
        ("0", "不合格"),
    ],
)
def test_assessment_bands(score, band):
    from liangji.inspection.services.agreements import assessment_band

    assert assessment_band(Decimal(score))[0] == band


def test_a_unit_with_nothing_to_do_scores_full_marks_on_those_parts(cast):
    agreement = agreement_sign(
        unit=cast.primary,
        school_year=cast.year,
        signed_on=datetime.date(2025, 4, 18),
        town_signatory="王建国",
        unit_signatory="校长",
        indicator_codes=["primary_dropout"],
        tasks="",
        user=None,
    )
    report = report_for(cast, {("青石小学", "primary_dropout"): (1, 100)})  # 1 % > 0.2 %

    assessment = agreement_assess(
        agreement=agreement,
        indicator_report=report,
        assessed_on=datetime.date(2025, 12, 20),
        user=None,
    )

    assert assessment.score == Decimal("50.00")
    assert assessment.band == "不合格"
