"""The commands: `liangji inspection_plan` and `liangji readiness` call the same services."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from liangji.inspection.choices import SafetyGrade
from liangji.inspection.models import WorkPlan
from liangji.inspection.services.conditions import building_save


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_plan_command_creates_the_five_phases_once(cast):
    output = _run("inspection_plan", "--school-year", "2024", "--year", "2025")

    assert output.splitlines()[:2] == [
        "已创建：青石镇2025年两基迎国检工作实施方案",
        "  1. 宣传发动 2025-03-01—2025-04-30（4 项任务）",
    ]
    assert WorkPlan.objects.count() == 1
    with pytest.raises(CommandError, match="已有工作方案，请直接修改"):
        _run("inspection_plan", "--school-year", "2024", "--year", "2025")


def test_the_readiness_command_puts_the_veto_first(clean_town):
    building_save(school=clean_town.junior, name="旧平房", area=Decimal("90.0"),
                  safety_grade=SafetyGrade.D, in_use=True, user=None)  # fmt: skip

    rows = json.loads(_run("readiness", "--school-year", "2024", "--format", "json"))

    assert [(row["unit"], row["ready"]) for row in rows] == [
        ("青石镇", False), ("东村", True), ("青石中学", False), ("青石小学", True),
    ]  # fmt: skip
    assert rows[2]["reasons"] == [
        {"text": "无D级危房在用：D级危房「旧平房」（90.0㎡）仍在使用", "veto": True, "item": "C01"}
    ]


def test_an_unknown_school_year_is_a_clear_error(cast):
    with pytest.raises(CommandError, match="没有 1999 学年的数据"):
        _run("readiness", "--school-year", "1999")
