"""Inspection readiness: the work plan, the organisation, the standard, the registers its veto
items need, self-checks, supervision, rectification, applications and 目标责任书.

Everything belongs to a town (directly, or through a unit of the town), so that one scope rule
(`liangji.accounts.scope`) decides who sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangji.inspection.choices import (
    AccountabilityMeasure,
    AssessmentBand,
    GroupRole,
    HazardStatus,
    InspectionLevel,
    ItemResult,
    JudgedBy,
    RectificationStatus,
    SafetyGrade,
    SelfCheckStatus,
    Severity,
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
    percent = models.PositiveSmallIntegerField("进度(%)", default=0)
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
        return f"{self.name}({self.group_role})"


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
    applies_to_village = models.BooleanField("适用于村(社区)", default=False)
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


# --- 4. the registers of the veto items -------------------------------------------------------


class SchoolBuilding(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="buildings")
    name = models.CharField("校舍名称", max_length=100)
    area = models.DecimalField("建筑面积(㎡)", max_digits=9, decimal_places=1)
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
    appropriation = models.DecimalField("教育财政拨款(万元)", max_digits=12, decimal_places=2)
    recurrent_revenue = models.DecimalField("经常性财政收入(万元)", max_digits=12, decimal_places=2)
    per_pupil_spending = models.DecimalField("生均公用经费(元)", max_digits=10, decimal_places=2)
    teacher_avg_salary = models.DecimalField("教师年平均工资(元)", max_digits=10, decimal_places=2)

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
        return f"{self.visited_on:%Y年%m月%d日}督查"


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
