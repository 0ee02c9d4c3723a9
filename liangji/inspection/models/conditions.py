"""The school conditions the veto items are judged from: buildings, hazards, funding, teachers
(called "conditions", not "registers": the registers of people and rolls are another app)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    HazardStatus,
    SafetyGrade,
)
from liangji.registers.models import Unit

# --- 4. the school conditions of the veto items ----------------------------------------------


class SchoolBuilding(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="buildings")
    name = models.CharField("校舍名称", max_length=100)
    area = models.DecimalField("建筑面积（㎡）", max_digits=9, decimal_places=1)
    safety_grade = models.CharField("安全等级", max_length=1, choices=SafetyGrade.choices)
    in_use = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "校舍"
        verbose_name_plural = "校舍"
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_building_name_unique"),
            models.CheckConstraint(condition=Q(area__gt=0), name="school_building_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.name}"


class SafetyHazard(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="safety_hazards")
    description = models.CharField("隐患描述", max_length=500)
    found_on = models.DateField("发现日期")
    status = models.CharField(
        "状态", max_length=4, choices=HazardStatus.choices, default=HazardStatus.OPEN
    )
    closed_on = models.DateField("整改完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "校园安全隐患"
        verbose_name_plural = "校园安全隐患"
        ordering = ["school", "found_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=HazardStatus.OPEN) & Q(closed_on__isnull=True))
                | (
                    Q(status=HazardStatus.CLOSED)
                    & Q(closed_on__isnull=False)
                    & Q(closed_on__gte=models.F("found_on"))
                ),
                name="safety_hazard_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class FundingYear(models.Model):
    """A town's (or county's) education funding in one calendar year: the 三个增长 figures.

    Growth is always judged against the previous year's row, so both years must be on file.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="funding_years")
    year = models.PositiveSmallIntegerField("年度")
    appropriation = models.DecimalField("教育财政拨款（万元）", max_digits=12, decimal_places=2)
    recurrent_revenue = models.DecimalField(
        "经常性财政收入（万元）", max_digits=12, decimal_places=2
    )
    per_pupil_spending = models.DecimalField("生均公用经费（元）", max_digits=10, decimal_places=2)
    teacher_avg_salary = models.DecimalField(
        "教师年平均工资（元）", max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = "教育经费"
        verbose_name_plural = "教育经费"
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="funding_year_unique"),
            models.CheckConstraint(
                condition=Q(appropriation__gte=0)
                & Q(recurrent_revenue__gt=0)
                & Q(per_pupil_spending__gte=0)
                & Q(teacher_avg_salary__gte=0),
                name="funding_year_amounts_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年教育经费"


class Teacher(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teachers")
    name = models.CharField("姓名", max_length=50)
    qualification = models.CharField("学历", max_length=50)
    qualified = models.BooleanField("学历合格", default=True)

    class Meta:
        verbose_name = "教师"
        verbose_name_plural = "教师"
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return self.name
