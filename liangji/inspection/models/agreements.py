"""目标责任书, their year-end assessment, and 问责."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    AccountabilityMeasure,
    AssessmentBand,
)
from liangji.registers.models import SchoolYear, Unit

# --- 8. 目标责任书 -----------------------------------------------------------------------------


class Agreement(models.Model):
    """目标责任书 between the town and one village/community or school for one school year."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="agreements")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField("签订日期")
    town_signatory = models.CharField("镇政府签字人", max_length=50)
    unit_signatory = models.CharField("责任单位签字人", max_length=50)
    # The indicator codes the unit answers for (comma-separated); targets are the town's.
    indicator_codes = models.CharField("目标指标", max_length=300, blank=True, default="")
    tasks = models.TextField("目标任务", blank=True, default="")

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year"], name="agreement_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year} 目标责任书"

    @property
    def indicator_code_list(self) -> list[str]:
        return [code.strip() for code in self.indicator_codes.split(",") if code.strip()]


class Assessment(models.Model):
    """The year-end assessment of an agreement; the breakdown keeps how the score came about."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="assessment")
    assessed_on = models.DateField("考核日期")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    band = models.CharField("等次", max_length=4, choices=AssessmentBand.choices)
    consequence = models.CharField("奖惩", max_length=200)
    breakdown = models.JSONField("计分明细")

    class Meta:
        verbose_name = "年终考核"
        verbose_name_plural = "年终考核"
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="assessment_score_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.unit} {self.score}分 {self.band}"


class Accountability(models.Model):
    """问责: a record of accountability for a unit that lagged."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accountabilities")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("问责日期")
    person = models.CharField("被问责人", max_length=100)
    reason = models.CharField("问责事由", max_length=1000)
    measure = models.CharField("问责方式", max_length=4, choices=AccountabilityMeasure.choices)

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.person} {self.measure}"
