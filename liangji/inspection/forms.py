"""Forms of the inspection pages: they parse and validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.archive.uploads import upload_refusal
from liangji.indicators.definitions import DEFINITIONS
from liangji.inspection.choices import (
    AccountabilityMeasure,
    GroupRole,
    InspectionLevel,
    ItemResult,
    RectificationStatus,
    SafetyGrade,
    Severity,
    TaskStatus,
)
from liangji.inspection.models import StandardItem
from liangji.registers.models import Unit

DATE = forms.DateInput(attrs={"type": "date"})
INDICATOR_CHOICES = [(d.code, d.name) for d in DEFINITIONS]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.kind}）"


def _units_field(units: list[Unit], label: str, required: bool = True) -> UnitChoiceField:
    queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("kind", "name")
    return UnitChoiceField(queryset=queryset, label=label, required=required)


class UnitsForm(forms.Form):
    """A form with a `unit` choice limited to the units the user may act for."""

    unit_label = "单位"

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _units_field(units, self.unit_label), **self.fields}


class PlanTaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=300)
    owner_person = forms.CharField(label="责任人", max_length=100, required=False)
    starts_on = forms.DateField(label="开始", widget=DATE)
    deadline = forms.DateField(label="完成时限", widget=DATE)
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices)
    percent = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"] = _units_field(units, "责任单位")


class TaskAddForm(forms.Form):
    title = forms.CharField(label="任务", max_length=300)
    owner_person = forms.CharField(label="责任人", max_length=100, required=False)
    starts_on = forms.DateField(label="开始", widget=DATE)
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"] = _units_field(units, "责任单位")


class PhaseForm(forms.Form):
    name = forms.CharField(label="阶段", max_length=50)
    starts_on = forms.DateField(label="开始", widget=DATE)
    ends_on = forms.DateField(label="结束", widget=DATE)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices)
    percent = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)


class PlanCreateForm(forms.Form):
    year_of_plan = forms.IntegerField(label="方案年度", min_value=2000, max_value=2100)


class OrgMemberForm(UnitsForm):
    unit_label = "所在单位"
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=100)
    group_role = forms.ChoiceField(label="小组职务", choices=GroupRole.choices)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    order = forms.IntegerField(label="排序", min_value=0, initial=0)


class StandardItemForm(forms.ModelForm):
    class Meta:
        model = StandardItem
        fields = [
            "name",
            "requirement",
            "judged_by",
            "indicator_codes",
            "evidence",
            "applies_to_town",
            "applies_to_village",
            "applies_to_school",
            "veto",
            "active",
        ]


class StandardItemCreateForm(StandardItemForm):
    class Meta(StandardItemForm.Meta):
        fields = ["aspect", "code", *StandardItemForm.Meta.fields]


class BuildingForm(UnitsForm):
    unit_label = "学校"
    name = forms.CharField(label="校舍名称", max_length=100)
    area = forms.DecimalField(label="建筑面积（㎡）", min_value=0, decimal_places=1)
    safety_grade = forms.ChoiceField(label="安全等级", choices=SafetyGrade.choices)
    in_use = forms.BooleanField(label="在用", required=False, initial=True)


class BuildingUpdateForm(forms.Form):
    safety_grade = forms.ChoiceField(label="安全等级", choices=SafetyGrade.choices)
    in_use = forms.BooleanField(label="在用", required=False)


class HazardForm(UnitsForm):
    unit_label = "学校"
    description = forms.CharField(label="隐患描述", max_length=500)
    found_on = forms.DateField(label="发现日期", widget=DATE)


class HazardCloseForm(forms.Form):
    closed_on = forms.DateField(label="整改完成日期", widget=DATE)


class FundingForm(UnitsForm):
    unit_label = "镇（县）"
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    appropriation = forms.DecimalField(label="教育财政拨款（万元）", min_value=0, decimal_places=2)
    recurrent_revenue = forms.DecimalField(
        label="经常性财政收入（万元）", min_value=0, decimal_places=2
    )
    per_pupil_spending = forms.DecimalField(
        label="生均公用经费（元）", min_value=0, decimal_places=2
    )
    teacher_avg_salary = forms.DecimalField(
        label="教师年平均工资（元）", min_value=0, decimal_places=2
    )


class TeacherForm(UnitsForm):
    unit_label = "学校"
    name = forms.CharField(label="姓名", max_length=50)
    qualification = forms.CharField(label="学历", max_length=50)
    qualified = forms.BooleanField(label="学历合格", required=False, initial=True)


class SelfCheckCreateForm(UnitsForm):
    checked_on = forms.DateField(label="自查日期", widget=DATE)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=ItemResult.choices)
    comment = forms.CharField(label="说明", max_length=1000, required=False)


class EvidenceForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200, required=False)
    file = forms.FileField(label="文件")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # The project's one upload rule (types and size), shared with the archive.
        refusal = upload_refusal(str(upload.name), upload.size)
        if refusal is not None:
            raise forms.ValidationError(refusal)
        return upload


class SubmitForm(forms.Form):
    summary = forms.CharField(label="自查总结", widget=forms.Textarea, required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="督查日期", widget=DATE)
    team = forms.CharField(label="督查组成员", max_length=300)
    checked = forms.CharField(label="督查内容", widget=forms.Textarea)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = forms.ModelMultipleChoiceField(
            queryset=Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("kind", "name"),
            label="督查单位",
            widget=forms.CheckboxSelectMultiple,
        )


class FindingForm(UnitsForm):
    item = forms.ModelChoiceField(
        queryset=StandardItem.objects.filter(active=True), label="检查项目", required=False
    )
    description = forms.CharField(label="问题描述", max_length=1000)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    deadline = forms.DateField(label="整改时限", widget=DATE, required=False)


class RectificationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *RectificationStatus.choices], required=False
    )


class RectificationSubmitForm(forms.Form):
    measure = forms.CharField(label="整改措施", max_length=1000, widget=forms.Textarea)
    evidence_note = forms.CharField(label="佐证说明", max_length=1000, required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(label="验收意见", max_length=1000, required=False)


class ApplicationForm(UnitsForm):
    level = forms.ChoiceField(
        label="申请级别",
        choices=[(InspectionLevel.TOWN, "镇级检查"), (InspectionLevel.COUNTY, "县级复查"),
                 (InspectionLevel.CITY, "市级抽查"), (InspectionLevel.NATIONAL, "国家验收")],
    )  # fmt: skip
    applied_on = forms.DateField(label="申请日期", widget=DATE)
    report = forms.CharField(label="专题报告", widget=forms.Textarea, required=False)


class ResultRecordForm(UnitsForm):
    level = forms.ChoiceField(label="检查级别", choices=InspectionLevel.choices)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    passed = forms.BooleanField(label="通过", required=False)
    summary = forms.CharField(label="检查结论", widget=forms.Textarea, required=False)
    findings = forms.CharField(
        label="发现问题（每行一条）",
        widget=forms.Textarea,
        required=False,
        help_text="每条问题都会生成一项整改任务",
    )


class AgreementForm(UnitsForm):
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    town_signatory = forms.CharField(label="镇政府签字人", max_length=50)
    unit_signatory = forms.CharField(label="责任单位签字人", max_length=50)
    indicator_codes = forms.MultipleChoiceField(
        label="目标指标",
        choices=INDICATOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tasks = forms.CharField(label="目标任务", widget=forms.Textarea, required=False)


class AssessForm(forms.Form):
    assessed_on = forms.DateField(label="考核日期", widget=DATE)


class AccountabilityForm(UnitsForm):
    decided_on = forms.DateField(label="问责日期", widget=DATE)
    person = forms.CharField(label="被问责人", max_length=100)
    reason = forms.CharField(label="问责事由", max_length=1000)
    measure = forms.ChoiceField(label="问责方式", choices=AccountabilityMeasure.choices)
