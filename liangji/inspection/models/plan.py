"""The work plan of a town (phases, tasks, progress) and its organisation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    GroupRole,
    TaskStatus,
)
from liangji.registers.models import SchoolYear, Unit

# --- 1. the work plan -------------------------------------------------------------------------


class WorkPlan(models.Model):
    """A town's 实施方案 for one school year: five phases, each with its tasks."""

    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="work_plans")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    year_of_plan = models.PositiveSmallIntegerField("方案年度")
    title = models.CharField("标题", max_length=200)

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        constraints = [
            models.UniqueConstraint(fields=["town", "school_year"], name="work_plan_one_per_year"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanPhase(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("阶段", max_length=50)
    starts_on = models.DateField("开始")
    ends_on = models.DateField("结束")

    class Meta:
        verbose_name = "工作阶段"
        verbose_name_plural = "工作阶段"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plan_phase_order_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="plan_phase_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanTask(models.Model):
    phase = models.ForeignKey(PlanPhase, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("任务", max_length=300)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="plan_tasks"
    )
    owner_person = models.CharField("责任人", max_length=100, blank=True, default="")
    starts_on = models.DateField("开始")
    deadline = models.DateField("完成时限")
    status = models.CharField(
        "状态", max_length=4, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["phase__order", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="plan_task_percent_max_100"),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | (Q(percent=100) & Q(done_on__isnull=False)),
                name="plan_task_done_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("deadline")), name="plan_task_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- 2. the organisation ----------------------------------------------------------------------


class OrgMember(models.Model):
    """A member of the town's 领导小组 or of its 办公室: the contacts other modules name."""

    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="org_members")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100)
    group_role = models.CharField("小组职务", max_length=6, choices=GroupRole.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="org_memberships"
    )
    phone = models.CharField("电话", max_length=30, blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["town", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.group_role}）"
