"""The audit log: every write and every export or reveal of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    REVEAL = "reveal", "查看身份证号"
    LOCK = "lock", "锁定"
    UNLOCK = "unlock", "解锁"
    SETTINGS = "settings", "修改设置"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_fail", "登录失败"
    RESTORE = "restore", "恢复备份"


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # Null when the write came from the command line of the office PC (actor names the OS user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=10, choices=AuditAction.choices)
    entity = models.CharField("对象类型", max_length=60)
    entity_id = models.CharField("对象编号", max_length=60, blank=True, default="")
    summary = models.CharField("摘要", max_length=500)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    unit = models.ForeignKey(
        "registers.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.summary}"
