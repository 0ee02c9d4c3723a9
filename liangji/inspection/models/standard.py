"""The inspection standard as data: seven aspects and their items (loaded by migration 0002)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    JudgedBy,
)
from liangji.registers.models import Unit

# --- 3. the standard --------------------------------------------------------------------------


class StandardAspect(models.Model):
    """One of the seven aspects of the national standard (domain.md §6)."""

    order = models.PositiveSmallIntegerField("序号", unique=True)
    name = models.CharField("方面", max_length=50, unique=True)

    class Meta:
        verbose_name = "检查方面"
        verbose_name_plural = "检查方面"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    aspect = models.ForeignKey(StandardAspect, on_delete=models.PROTECT, related_name="items")
    code = models.CharField("编号", max_length=10, unique=True)
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("检查项目", max_length=200)
    requirement = models.CharField("标准要求", max_length=500)
    judged_by = models.CharField("判定方式", max_length=4, choices=JudgedBy.choices)
    # For items judged from the indicators: the indicator codes (comma-separated) they cover.
    indicator_codes = models.CharField("对应指标", max_length=300, blank=True, default="")
    evidence = models.CharField("佐证材料", max_length=500, blank=True, default="")
    applies_to_town = models.BooleanField("适用于镇", default=True)
    applies_to_village = models.BooleanField("适用于村（社区）", default=False)
    applies_to_school = models.BooleanField("适用于学校", default=False)
    veto = models.BooleanField("一票否决", default=False)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "检查项目"
        verbose_name_plural = "检查项目"
        ordering = ["aspect__order", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(judged_by=JudgedBy.INDICATORS) | ~Q(indicator_codes=""),
                name="standard_item_indicators_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def applies_to(self, unit: Unit) -> bool:
        if unit.is_school:
            return self.applies_to_school
        if unit.is_village:
            return self.applies_to_village
        return self.applies_to_town

    @property
    def indicator_code_list(self) -> list[str]:
        return [code.strip() for code in self.indicator_codes.split(",") if code.strip()]
