"""The vocabulary of inspection readiness: every status and kind is declared once, here.

Workflows declare their allowed transitions beside their statuses, so that a service checks a
move against one table instead of scattering `if` chains.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class TaskStatus(models.TextChoices):
    NOT_STARTED = "未开始", "未开始"
    IN_PROGRESS = "进行中", "进行中"
    DONE = "已完成", "已完成"


class GroupRole(models.TextChoices):
    """A member's place in the 领导小组 or its 办公室 (domain.md §1)."""

    LEADER = "组长", "组长"
    DEPUTY = "副组长", "副组长"
    MEMBER = "成员", "成员"
    OFFICE_HEAD = "办公室主任", "办公室主任"
    OFFICE_STAFF = "办公室成员", "办公室成员"


OFFICE_ROLES = frozenset({GroupRole.OFFICE_HEAD, GroupRole.OFFICE_STAFF})


class JudgedBy(models.TextChoices):
    """How a standard item is judged: automatically from data, or by a person's self-check."""

    INDICATORS = "指标", "自动：普及程度指标"
    FUNDING = "经费", "自动：教育经费登记（三个增长）"
    BUILDINGS = "校舍", "自动：校舍登记（D级危房）"
    HAZARDS = "隐患", "自动：安全隐患登记"
    TEACHERS = "教师", "自动：教师登记（学历合格）"
    LITERACY = "扫盲", "自动：扫盲单位标准（非文盲率、复盲率）"
    SELF_CHECK = "自查", "自查判定"


AUTOMATIC_JUDGEMENTS = frozenset(set(JudgedBy) - {JudgedBy.SELF_CHECK})


class SafetyGrade(models.TextChoices):
    """校舍安全等级 of a school building; D is a dangerous building (D级危房)."""

    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"
    D = "D", "D级（危房）"


class HazardStatus(models.TextChoices):
    OPEN = "未整改", "未整改"
    CLOSED = "已整改", "已整改"


class ItemResult(models.TextChoices):
    MET = "达标", "达标"
    NOT_MET = "未达标", "未达标"
    NOT_APPLICABLE = "不适用", "不适用"


class SelfCheckStatus(models.TextChoices):
    DRAFT = "填写中", "填写中"
    SUBMITTED = "已上报", "已上报"


class Severity(models.TextChoices):
    MINOR = "一般", "一般"
    MAJOR = "较重", "较重"
    SERIOUS = "严重", "严重"


class RectificationStatus(models.TextChoices):
    OPEN = "整改中", "整改中"
    SUBMITTED = "待验收", "待验收"
    REJECTED = "退回", "退回重改"
    CLOSED = "已销号", "已销号"


# The rectification workflow: the unit submits its evidence, the town office verifies (closes)
# or rejects it; a rejected task goes back to the unit. Nothing leaves CLOSED.
RECTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RectificationStatus.OPEN: frozenset({RectificationStatus.SUBMITTED}),
    RectificationStatus.REJECTED: frozenset({RectificationStatus.SUBMITTED}),
    RectificationStatus.SUBMITTED: frozenset(
        {RectificationStatus.CLOSED, RectificationStatus.REJECTED}
    ),
    RectificationStatus.CLOSED: frozenset(),
}


class InspectionLevel(models.TextChoices):
    """The chain of inspections a town goes through (domain.md §1)."""

    TOWN = "镇级检查", "镇级检查"
    COUNTY = "县级复查", "县级复查"
    CITY = "市级抽查", "市级抽查"
    NATIONAL = "国家验收", "国家验收"


class AssessmentBand(models.TextChoices):
    EXCELLENT = "优秀", "优秀"
    GOOD = "良好", "良好"
    PASS = "合格", "合格"
    FAIL = "不合格", "不合格"


# The year-end assessment of a 目标责任书, declared in one place: the weights of its three parts
# (they add up to 100) and the bands with the reward or penalty each one brings.
ASSESSMENT_WEIGHTS: dict[str, Decimal] = {
    "indicators": Decimal(50),
    "tasks": Decimal(30),
    "rectifications": Decimal(20),
}
ASSESSMENT_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal(90), AssessmentBand.EXCELLENT, "通报表彰，给予奖励"),
    (Decimal(80), AssessmentBand.GOOD, "通报表扬"),
    (Decimal(60), AssessmentBand.PASS, "限期改进薄弱环节"),
    (Decimal(0), AssessmentBand.FAIL, "通报批评，取消评优资格，启动问责"),
)


class AccountabilityMeasure(models.TextChoices):
    TALK = "约谈", "约谈"
    NOTICE = "通报批评", "通报批评"
    WARNING = "诫勉谈话", "诫勉谈话"
    DISCIPLINE = "纪律处分", "建议给予纪律处分"
