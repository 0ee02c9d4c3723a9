"""What the reports app keeps: the narrative sections the office writes for its documents, and
the background jobs that generate documents and sets of tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liangji.registers.models import SchoolYear, Unit


class DocumentKind(models.TextChoices):
    INDICATOR_REPORT = "indicator_report", "两基指标报告"
    SELF_CHECK = "self_check", "自查报告"
    BRIEFING = "briefing", "汇报材料"


class Narrative(models.Model):
    """One section of a town's document written by the office, kept per school year."""

    town = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    document = models.CharField("文件", max_length=20, choices=DocumentKind.choices)
    section = models.CharField("部分", max_length=40)
    text = models.TextField("内容", blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "文稿段落"
        verbose_name_plural = "文稿段落"
        constraints = [
            models.UniqueConstraint(
                fields=["town", "school_year", "document", "section"],
                name="narrative_one_per_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.section}"


class ReportJobState(models.TextChoices):
    QUEUED = "排队", "排队"
    RUNNING = "生成中", "生成中"
    DONE = "完成", "完成"
    FAILED = "失败", "失败"


class ReportJob(models.Model):
    """A report generated in a background process (`liangji report-job ID`)."""

    report = models.CharField("报表", max_length=40)
    fmt = models.CharField("格式", max_length=4)
    school_year = models.PositiveSmallIntegerField("学年")
    town = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=4, choices=ReportJobState.choices, default=ReportJobState.QUEUED
    )
    stage = models.CharField("阶段", max_length=40, blank=True, default="")
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    file_path = models.CharField("文件", max_length=500, blank=True, default="")
    message = models.CharField("说明", max_length=1000, blank=True, default="")
    worker_pid = models.PositiveIntegerField("后台进程", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "报表任务"
        verbose_name_plural = "报表任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school_year__gte=1990) & models.Q(school_year__lte=2100),
                name="report_job_school_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.school_year}学年 {self.state}"
