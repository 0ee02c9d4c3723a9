"""Self-checks, supervision, inspections, findings, rectification, evidence, applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    InspectionLevel,
    ItemResult,
    RectificationStatus,
    SelfCheckStatus,
    Severity,
)
from liangji.inspection.models.standard import StandardItem
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.official import date_arabic

# --- 5. self-checks ---------------------------------------------------------------------------


class SelfCheck(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="self_checks")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    checked_on = models.DateField("自查日期")
    status = models.CharField(
        "状态", max_length=4, choices=SelfCheckStatus.choices, default=SelfCheckStatus.DRAFT
    )
    summary = models.TextField("自查总结", blank=True, default="")

    class Meta:
        verbose_name = "自查"
        verbose_name_plural = "自查"
        ordering = ["unit", "school_year", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "school_year", "round"], name="self_check_round_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year} 第{self.round}轮自查"


class SelfCheckResult(models.Model):
    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=4, choices=ItemResult.choices)
    comment = models.CharField("说明", max_length=1000, blank=True, default="")

    class Meta:
        verbose_name = "自查结果"
        verbose_name_plural = "自查结果"
        ordering = ["item__aspect__order", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["self_check", "item"], name="self_check_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.result}"


# --- 6. supervision ---------------------------------------------------------------------------


class SupervisionVisit(models.Model):
    """A monthly supervision (督查) of the town's units."""

    town = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_visits")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("督查日期")
    team = models.CharField("督查组成员", max_length=300)
    units = models.ManyToManyField(Unit, verbose_name="督查单位", related_name="+")
    checked = models.TextField("督查内容")

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{date_arabic(self.visited_on)}督查"


class InspectionResult(models.Model):
    """The outcome of one inspection of a unit: 镇级检查, 县级复查, 市级抽查 or 国家验收."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_results")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    level = models.CharField("检查级别", max_length=4, choices=InspectionLevel.choices)
    inspected_on = models.DateField("检查日期")
    passed = models.BooleanField("通过")
    summary = models.TextField("检查结论", blank=True, default="")

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.level} {'通过' if self.passed else '未通过'}"


class Finding(models.Model):
    """A problem found by a supervision visit or an inspection; it becomes a rectification."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(
        StandardItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField("问题描述", max_length=1000)
    severity = models.CharField("严重程度", max_length=2, choices=Severity.choices)
    found_on = models.DateField("发现日期")
    visit = models.ForeignKey(
        SupervisionVisit, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    inspection = models.ForeignKey(
        InspectionResult, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )

    class Meta:
        verbose_name = "督查发现问题"
        verbose_name_plural = "督查发现问题"
        ordering = ["found_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=True) | Q(inspection__isnull=True),
                name="finding_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description


# --- 7. rectification and applications -------------------------------------------------------


class Rectification(models.Model):
    """整改任务: from a failed self-check item or a finding, closed only by the town office."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rectifications")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(
        StandardItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    self_check_result = models.OneToOneField(
        SelfCheckResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    finding = models.OneToOneField(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="rectification"
    )
    problem = models.CharField("存在问题", max_length=1000)
    measure = models.CharField("整改措施", max_length=1000, blank=True, default="")
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "状态",
        max_length=4,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    evidence_note = models.CharField("整改佐证说明", max_length=1000, blank=True, default="")
    review_comment = models.CharField("验收意见", max_length=1000, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField("销号日期", null=True, blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(self_check_result__isnull=True) | Q(finding__isnull=True),
                name="rectification_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.CLOSED) | Q(closed_on__isnull=False),
                name="rectification_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.problem


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return f"inspection/evidence/{filename}"


class Evidence(models.Model):
    """An attachment proving a self-check result or a rectification (佐证材料)."""

    file = models.FileField("文件", upload_to=evidence_upload_to)
    title = models.CharField("名称", max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_check_result = models.ForeignKey(
        SelfCheckResult, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        constraints = [
            models.CheckConstraint(
                condition=(Q(self_check_result__isnull=False) & Q(rectification__isnull=True))
                | (Q(self_check_result__isnull=True) & Q(rectification__isnull=False)),
                name="evidence_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionApplication(models.Model):
    """A unit's application for town inspection, or the town's for county review."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_applications")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    level = models.CharField("申请检查级别", max_length=4, choices=InspectionLevel.choices)
    applied_on = models.DateField("申请日期")
    report = models.TextField("专题报告", blank=True, default="")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "检查申请"
        verbose_name_plural = "检查申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "school_year", "level"], name="inspection_application_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 申请{self.level}"
