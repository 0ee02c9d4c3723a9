"""The demo step on the test cast: a plan in progress, open and closed rectifications, and one
school not ready because of its D-grade building."""

from __future__ import annotations

import datetime

from liangji.inspection.choices import RectificationStatus, TaskStatus
from liangji.inspection.demo import demo_inspection_create
from liangji.inspection.models import PlanTask, Rectification, SelfCheck
from liangji.inspection.readiness import readiness_compute
from liangji.inspection.selectors import indicator_report_for


def test_the_demo_step_leaves_work_in_progress_and_one_school_not_ready(cast):
    lines: list[str] = []

    today = datetime.date(2025, 6, 10)  # in the phase 巩固提高 of the 2025 plan

    demo_inspection_create(stdout_write=lines.append, today=today)

    # Phase 1 done; two tasks of phase 2 left overdue, the rest done; phase 3 under way.
    statuses = dict(PlanTask.objects.values_list("title", "status"))
    assert statuses["成立两基迎国检领导小组及办公室，明确职责分工"] == TaskStatus.DONE
    assert statuses["镇级检查验收各村（社区）、学校"] == TaskStatus.IN_PROGRESS
    assert statuses["接受国家检查验收"] == TaskStatus.NOT_STARTED
    assert PlanTask.objects.filter(deadline__lt=today).exclude(status=TaskStatus.DONE).count() == 2
    rectifications = set(Rectification.objects.values_list("status", flat=True))
    assert {RectificationStatus.CLOSED, RectificationStatus.OPEN} <= rectifications
    assert SelfCheck.objects.count() == 4
    report = indicator_report_for(town=cast.town, school_year=cast.year, unit_ids=None)
    result = readiness_compute(
        user=cast.olivia, town=cast.town, school_year=cast.year, report=report, today=today
    )
    assert result is not None and result.town is not None
    primary = next(row for row in result.units if row.unit == cast.primary)
    assert (
        primary.sorted_reasons()[0].text
        == "无D级危房在用：D级危房「西侧旧平房」（186.5㎡）仍在使用"
    )
    assert not result.town.ready
    assert lines[-1] == "  青石小学 有D级危房在用，尚不具备迎检条件（见“迎检条件”页）。"
