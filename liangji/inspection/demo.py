"""The demo step of 迎检准备: the demo town gets its organisation, a work plan in progress,
the registers of the veto items, self-checks, a supervision visit with findings, open and closed
rectifications, applications, 目标责任书 with assessments and one 问责 — and one school that is
not ready because a D-grade building is still in use.

Registered in liangji.demo.services.DEMO_STEPS after the registers. Dates are set back from
today, so that the plan is in progress and some work is overdue whatever day the demo runs.
Everything goes through the services, so the demo exercises the code the pages use.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.choices import (
    AccountabilityMeasure,
    GroupRole,
    InspectionLevel,
    ItemResult,
    JudgedBy,
    SafetyGrade,
    Severity,
    TaskStatus,
)
from liangji.inspection.models import PlanTask, SelfCheck
from liangji.inspection.selectors import indicator_report_for
from liangji.inspection.services import (
    agreements,
    applications,
    conditions,
    plan,
    rectification,
    self_checks,
)
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.rules import school_year_work_day

Write = Callable[[str], None]
DAY = datetime.timedelta(days=1)

# Items a few units fail in their self-check: (item code, what the unit wrote).
_FAILED_ITEMS = [
    ("C03", "实验仪器不足，图书室藏书未达生均标准"),
    ("Q02", "体质健康测试记录不全"),
    ("L04", "扫盲学员档案缺少测试成绩"),
]


def _org_create(town: Unit, schools: list[Unit]) -> None:
    district = schools[0] if schools else town
    for order, (name, post, role, unit) in enumerate(
        [
            ("王建国", "镇长", GroupRole.LEADER, town),
            ("李明华", "分管副镇长", GroupRole.DEPUTY, town),
            ("赵学文", "学区校长", GroupRole.DEPUTY, district),
            ("孙立新", "司法所所长", GroupRole.MEMBER, town),
            ("周海燕", "财政所所长", GroupRole.MEMBER, town),
            ("赵学文", "学区校长（兼）", GroupRole.OFFICE_HEAD, district),
            ("陈晓梅", "两基专干", GroupRole.OFFICE_STAFF, town),
        ],
        start=1,
    ):
        plan.org_member_save(
            town=town, name=name, post=post, group_role=role, unit=unit,
            phone=f"1390000{order:04d}", order=order, user=None,
        )  # fmt: skip


def _plan_progress(town: Unit, school_year: SchoolYear, today: datetime.date) -> None:
    """The plan of the current calendar year: done before today (two tasks left overdue),
    in progress around today, not started after."""
    year = today.year if today.month >= 3 else today.year - 1
    work_plan = plan.plan_create_from_template(
        town=town, school_year=school_year, year_of_plan=year
    )
    tasks = PlanTask.objects.filter(phase__plan=work_plan).order_by("phase__order", "order")
    overdue_left = 0
    for task in tasks:
        if task.deadline < today:
            if overdue_left < 2 and task.phase.order >= 2:
                overdue_left += 1
                plan.plan_task_update(task=task, percent=60, today=today, user=None)
            else:
                plan.plan_task_update(
                    task=task, status=TaskStatus.DONE, today=task.deadline, user=None
                )
        elif task.starts_on <= today:
            plan.plan_task_update(task=task, percent=40, today=today, user=None)


def _registers_fill(town: Unit, schools: list[Unit], school_year: SchoolYear) -> Unit | None:
    """Sound buildings everywhere but one D-grade building still in use at the last school."""
    for index, school in enumerate(schools):
        conditions.building_save(
            school=school, name="教学楼", area=Decimal(1200 + 150 * index),
            safety_grade=SafetyGrade.A if index % 2 else SafetyGrade.B, in_use=True, user=None,
        )  # fmt: skip
        for number, (name, degree) in enumerate([("刘老师", "本科"), ("黄老师", "专科")]):
            conditions.teacher_save(
                school=school, name=f"{name}{number + 1}", qualification=degree,
                qualified=True, user=None,
            )  # fmt: skip
    unready = schools[-1] if schools else None
    if unready is not None:
        conditions.building_save(
            school=unready, name="西侧旧平房", area=Decimal("186.5"),
            safety_grade=SafetyGrade.D, in_use=True, user=None,
        )  # fmt: skip
    if len(schools) > 1:
        hazard = conditions.hazard_record(
            school=schools[0], description="围墙东段开裂", found_on=school_year.first_day,
            user=None,
        )  # fmt: skip
        conditions.hazard_close(
            hazard=hazard, closed_on=school_year.first_day + 20 * DAY, user=None
        )
    for year, appropriation, revenue, per_pupil, salary in [
        (school_year.year - 1, "3200", "41000", "820", "61500"),
        (school_year.year, "3580", "43460", "870", "64800"),  # +11.9 % against +6 %
    ]:
        conditions.funding_year_save(
            unit=town, year=year, appropriation=Decimal(appropriation),
            recurrent_revenue=Decimal(revenue), per_pupil_spending=Decimal(per_pupil),
            teacher_avg_salary=Decimal(salary), user=None,
        )  # fmt: skip
    return unready


def _self_check(
    unit: Unit,
    school_year: SchoolYear,
    checked_on: datetime.date,
    report: IndicatorReport | None,
    fail: bool,
) -> SelfCheck:
    check = self_checks.self_check_create(
        unit=unit, school_year=school_year, checked_on=checked_on, user=None,
        indicator_report=report,
    )  # fmt: skip
    done = set(check.results.values_list("item_id", flat=True))
    failing = dict(_FAILED_ITEMS) if fail else {}
    for item in rules.applicable_items(unit):
        if item.pk in done or item.judged_by != JudgedBy.SELF_CHECK:
            continue
        if item.code in failing:
            self_checks.self_check_result_set(
                self_check=check, item=item, result=ItemResult.NOT_MET,
                comment=failing[item.code], user=None,
            )  # fmt: skip
        else:
            self_checks.self_check_result_set(
                self_check=check, item=item, result=ItemResult.MET, comment="", user=None
            )
    # Without computed indicators the indicator items wait: the check stays open, unreported.
    with contextlib.suppress(InspectionRuleError):
        self_checks.self_check_submit(
            self_check=check, summary="对照七个方面逐项自查，问题已列入整改。", user=None
        )
    return check


def _rectify(check: SelfCheck, today: datetime.date) -> None:
    """Close the self-check's rectifications that can be closed; leave the others open."""
    for result in check.results.filter(result=ItemResult.NOT_MET).select_related("item"):
        task = getattr(result, "rectification", None)
        if task is None or result.item.judged_by != JudgedBy.SELF_CHECK:
            continue
        rectification.rectification_submit(
            rectification=task, measure=f"针对“{result.comment}”已补齐", evidence_note="照片和台账",
            user=None,
        )  # fmt: skip
        rectification.rectification_verify(
            rectification=task, comment="已核实", today=today, user=None
        )


@transaction.atomic
def demo_inspection_create(*, stdout_write: Write, today: datetime.date | None = None) -> None:
    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    school_year = SchoolYear.objects.order_by("-year").first()
    if town is None or school_year is None:
        raise RuntimeError("示范镇或学年尚未创建，无法生成迎检准备的示范数据")
    # A second `liangji demo` leaves the town's plan, checks and findings as they are.
    if SelfCheck.objects.filter(unit=town, school_year=school_year).exists():
        stdout_write("迎检准备：示范数据已存在，跳过")
        return
    # Every date of the demo's work lies in its school year, however long ago it was.
    today = school_year_work_day(school_year.year, today or timezone.localdate())
    units = rules.town_units(town)
    villages = [u for u in units if u.is_village]
    schools = [u for u in units if u.is_school]
    _org_create(town, schools)
    _plan_progress(town, school_year, today)
    unready = _registers_fill(town, schools, school_year)
    report = indicator_report_for(town=town, school_year=school_year, unit_ids=None)
    # Self-checks 40 days ago: rectifications fell due 10 days ago; those not closed are overdue.
    checked_on = today - 40 * DAY
    self_checks = {
        unit.pk: _self_check(unit, school_year, checked_on, report, fail=index % 3 == 0)
        for index, unit in enumerate([town, *units])
    }
    for index, unit in enumerate(units):
        if index % 2 == 0:
            _rectify(self_checks[unit.pk], today)
    _supervise(town, school_year, villages, schools, unready, today)
    applied = _applications(units, school_year, today)
    _agreements(units, school_year, report, signed_on=checked_on - 10 * DAY, today=today)
    stdout_write(
        f"迎检准备：{town.name} 的工作方案、{len(self_checks)} 份自查、督查和整改已生成；"
        f"{applied} 个单位通过镇级检查。"
    )
    if unready is not None:
        stdout_write(f"  {unready.name} 有D级危房在用，尚不具备迎检条件（见“迎检条件”页）。")


def _supervise(
    town: Unit,
    school_year: SchoolYear,
    villages: list[Unit],
    schools: list[Unit],
    unready: Unit | None,
    today: datetime.date,
) -> None:
    visited = [*villages[:2], *schools[:1], *([unready] if unready else [])]
    visit = rectification.visit_record(
        town=town, school_year=school_year, visited_on=today - 20 * DAY,
        team="李明华、赵学文、陈晓梅", units=visited,
        checked="档案建设、校舍安全、控辍保学责任落实", user=None,
    )  # fmt: skip
    if unready is not None:
        rectification.finding_record(
            unit=unready, description="西侧旧平房（D级）仍有两个班上课", severity=Severity.SERIOUS,
            found_on=visit.visited_on, school_year=school_year, visit=visit, user=None,
            deadline=today + 15 * DAY,
        )  # fmt: skip
    if villages:
        rectification.finding_record(
            unit=villages[0], description="文化户口册未按户装订，部分户缺少户主签字",
            severity=Severity.MINOR, found_on=visit.visited_on, school_year=school_year,
            visit=visit, user=None,
        )  # fmt: skip


def _applications(units: list[Unit], school_year: SchoolYear, today: datetime.date) -> int:
    """Units whose tasks are all closed apply for town inspection; the first two pass it."""
    passed = 0
    for unit in units:
        try:
            applications.application_submit(
                unit=unit, school_year=school_year, level=InspectionLevel.TOWN,
                applied_on=today - 5 * DAY, report="自查整改已全部完成，申请镇级检查。", user=None,
            )  # fmt: skip
        except InspectionRuleError:
            continue  # open tasks: the rule refuses, as it should
        if passed < 2:
            applications.inspection_result_record(
                unit=unit, school_year=school_year, level=InspectionLevel.TOWN,
                inspected_on=today - 2 * DAY, passed=True, summary="各项指标达标，档案规范。",
                user=None,
            )  # fmt: skip
            passed += 1
    return passed


def _agreements(
    units: list[Unit],
    school_year: SchoolYear,
    report: IndicatorReport | None,
    *,
    signed_on: datetime.date,
    today: datetime.date,
) -> None:
    for index, unit in enumerate(units):
        codes = (
            ["primary_enrollment", "junior_net_enrollment", "primary_completion_15",
             "literacy_15_50"]
            if unit.is_village
            else ["primary_dropout", "junior_dropout"]
        )  # fmt: skip
        agreement = agreements.agreement_sign(
            unit=unit, school_year=school_year, signed_on=signed_on, town_signatory="王建国",
            unit_signatory=f"{unit.name}负责人", indicator_codes=codes,
            tasks="按时完成自查整改和档案建设，确保各项指标达标。", user=None,
        )  # fmt: skip
        if report is not None and index < 4:
            agreements.agreement_assess(
                agreement=agreement, indicator_report=report, assessed_on=today, user=None
            )
    if units:
        agreements.accountability_record(
            unit=units[-1], school_year=school_year, decided_on=today - 3 * DAY,
            person=f"{units[-1].name}负责人", reason="D级危房未按期停用，整改不力",
            measure=AccountabilityMeasure.TALK, user=None,
        )  # fmt: skip
