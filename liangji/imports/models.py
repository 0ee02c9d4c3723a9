"""Background imports started from the browser: one row per uploaded workbook."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportJobState(models.TextChoices):
    QUEUED = "排队", "排队"
    CHECKING = "预检中", "预检中"
    AWAITING_CONFIRMATION = "待确认", "待确认"
    IMPORTING = "导入中", "导入中"
    DONE = "完成", "完成"
    REJECTED = "已拒绝", "已拒绝"
    FAILED = "失败", "失败"


# States a job leaves on its own; the others are final.
ACTIVE_STATES = frozenset(
    {ImportJobState.QUEUED, ImportJobState.CHECKING, ImportJobState.IMPORTING}
)


class ImportJob(models.Model):
    file_path = models.CharField("上传文件", max_length=500)
    original_name = models.CharField("原文件名", max_length=255, blank=True, default="")
    school_year = models.PositiveSmallIntegerField("学年")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skip_invalid = models.BooleanField("跳过错误行", default=False)
    # Chosen when confirming: the file wins over records edited in the application since the
    # last import (by default they are kept and listed as conflicts).
    overwrite_edits = models.BooleanField("以文件覆盖系统中的修改", default=False)
    # Or only these conflicts (their keys, as the preview page listed them); the others are kept.
    overwrite_keys = models.JSONField("以文件覆盖的冲突", default=list, blank=True)
    state = models.CharField(
        "状态", max_length=4, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    stage = models.CharField("阶段", max_length=40, blank=True, default="")
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", null=True, blank=True)
    message = models.CharField("说明", max_length=1000, blank=True, default="")
    result = models.JSONField("结果", null=True, blank=True)
    error_report = models.CharField("错误报告", max_length=500, blank=True, default="")
    # The process running the job, so that a page can tell a job still working from one whose
    # process died (power cut, out of memory) and would otherwise look busy forever.
    worker_pid = models.PositiveIntegerField("后台进程", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school_year__gte=1990) & models.Q(school_year__lte=2100),
                name="import_job_school_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.file_path} {self.school_year}学年 {self.state}"
