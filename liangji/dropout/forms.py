"""Forms of the 控辍保学 pages: they validate input; the services decide and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from liangji.archive.uploads import upload_refusal
from liangji.dropout.models import (
    AttemptMethod,
    CaseKind,
    CaseReason,
    CaseSource,
    CaseStatus,
    CaseStep,
    ContactRole,
    ElsewhereRegion,
    RegistrationError,
    ServiceMethod,
)
from liangji.dropout.workflow import RESOLUTION_RULES
from liangji.registers.choices import Resolution
from liangji.registers.models import Enrollment, Unit


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _blank(choices: Any, empty: str = "全部") -> list[tuple[str, str]]:
    return [("", empty), *choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _attachment_check(upload: Any) -> Any:
    # The project's one upload rule (types and size), shared with the archive.
    refusal = upload_refusal(str(getattr(upload, "name", "")), upload.size)
    if refusal is not None:
        raise forms.ValidationError(refusal)
    return upload


class MultipleFileField(forms.FileField):
    """Several scans at once (a letter has pages); none is fine unless the service needs one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [_attachment_check(single(item, initial)) for item in items if item]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=_blank(CaseStatus.choices))
    kind = forms.ChoiceField(label="类别", required=False, choices=_blank(CaseKind.choices))
    step = forms.ChoiceField(label="步骤", required=False, choices=_blank(CaseStep.choices))
    village = forms.TypedChoiceField(
        label="村（社区）", required=False, coerce=int, empty_value=None
    )
    school = forms.TypedChoiceField(label="学校", required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label="只看逾期", required=False)
    mine = forms.BooleanField(label="我负责的", required=False)

    def __init__(
        self, *args: Any, villages: list[Unit], schools: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _blank([(u.pk, u.name) for u in villages])  # type: ignore[attr-defined]
        self.fields["school"].choices = _blank([(u.pk, u.name) for u in schools])  # type: ignore[attr-defined]


class GuardianFields(forms.Form):
    guardian_name = forms.CharField(label="监护人姓名", max_length=50, required=False)
    guardian_relation = forms.CharField(
        label="与儿童关系", max_length=20, required=False, initial="父亲"
    )
    guardian_phone = forms.CharField(label="监护人电话", max_length=30, required=False)
    guardian2_name = forms.CharField(label="第二监护人", max_length=50, required=False)
    guardian2_relation = forms.CharField(label="关系", max_length=20, required=False)
    guardian2_phone = forms.CharField(label="电话", max_length=30, required=False)


class CaseOpenForm(GuardianFields):
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices)
    source = forms.ChoiceField(label="来源", choices=CaseSource.choices, initial=CaseSource.MANUAL)
    reason = forms.ChoiceField(label="原因", choices=CaseReason.choices)
    reason_note = forms.CharField(label="原因说明", max_length=500, required=False)
    opened_on = _date("立案日期")
    absent_since = _date("缺课起始日期", required=False)
    village_person = forms.CharField(
        label="村（社区）责任人", max_length=50, required=False, help_text="留空则用本村登记的村长"
    )
    village_person_phone = forms.CharField(label="村责任人电话", max_length=30, required=False)
    school_person = forms.CharField(
        label="学校责任人（班主任）",
        max_length=50,
        required=False,
        help_text="留空则用本校登记的校长",
    )
    school_person_phone = forms.CharField(label="学校责任人电话", max_length=30, required=False)
    source_note = forms.CharField(label="来源说明", max_length=200, required=False)

    field_order = [
        "kind",
        "source",
        "reason",
        "reason_note",
        "opened_on",
        "absent_since",
        "village_person",
        "village_person_phone",
        "school_person",
        "school_person_phone",
    ]


class AbsenceReportForm(GuardianFields):
    enrollment = forms.ModelChoiceField(label="学生", queryset=Enrollment.objects.none())
    absent_since = _date("缺课起始日期")
    reported_on = _date("报告日期")
    valid_reason = forms.BooleanField(label="有正当理由（病假、事假已请）", required=False)
    reason = forms.ChoiceField(label="疑似原因", choices=CaseReason.choices)
    reason_text = forms.CharField(label="情况说明", max_length=300, required=False)
    school_person = forms.CharField(label="学校责任人（班主任）", max_length=50, required=False)

    field_order = [
        "enrollment",
        "absent_since",
        "reported_on",
        "valid_reason",
        "reason",
        "reason_text",
        "school_person",
    ]

    def __init__(self, *args: Any, rolls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        field.queryset = rolls  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{e.grade}年级 {e.class_name} {e.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, reported = data.get("absent_since"), data.get("reported_on")
        if since and reported and reported < since:
            self.add_error("reported_on", "报告日期不能早于缺课起始日期。")
        return data


class AttemptForm(forms.Form):
    date = _date("日期")
    actors = forms.CharField(label="参与人", max_length=200, help_text="如：王老师、李村长")
    method = forms.ChoiceField(label="方式", choices=AttemptMethod.choices)
    said = forms.CharField(
        label="谈话内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(label="结果", max_length=500, required=False)
    attachments = MultipleFileField(label="附件（照片、签字材料）")


class NoticeServiceForm(forms.Form):
    served_on = _date("送达日期")
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    received_by = forms.CharField(label="签收人", max_length=50, help_text="如：张大山（父亲）")
    scan = forms.FileField(label="送达回证扫描件", help_text="签收的送达回证，PDF 或照片")

    def clean_scan(self) -> Any:
        return _attachment_check(self.cleaned_data["scan"])


class AdvanceForm(AttemptForm):
    to_step = forms.ChoiceField(
        label="进入步骤", choices=CaseStep.choices, widget=forms.HiddenInput()
    )


class CloseForm(forms.Form):
    resolution = forms.ChoiceField(
        label="销号原因",
        choices=[(r.value, r.label) for r in Resolution if RESOLUTION_RULES[r].closes],
        help_text="；".join(
            f"{r.label}：{RESOLUTION_RULES[r].evidence}"
            for r in Resolution
            if RESOLUTION_RULES[r].closes
        ),
    )
    resolved_on = _date("销号日期")
    resolution_school = forms.CharField(label="就读（接收）学校", max_length=100, required=False)
    resolution_region = forms.ChoiceField(
        label="在外就读地区", required=False, choices=_blank(ElsewhereRegion.choices, "—")
    )
    registration_error = forms.ChoiceField(
        label="登记错误类型", required=False, choices=_blank(RegistrationError.choices, "—")
    )
    resolution_note = forms.CharField(label="说明", max_length=500, required=False)
    attachments = MultipleFileField(label="证明材料")


class ReopenForm(forms.Form):
    date = _date("日期")
    reason = forms.CharField(label="重新打开的原因", max_length=300)


class ContactForm(forms.Form):
    role = forms.ChoiceField(label="职责", choices=ContactRole.choices)
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="电话", max_length=30, required=False)


class MonthForm(forms.Form):
    school = forms.TypedChoiceField(label="学校", coerce=int)
    month = forms.CharField(
        label="月份",
        max_length=7,
        help_text="如 2024-10",
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args: Any, schools: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(u.pk, u.name) for u in schools]  # type: ignore[attr-defined]

    def clean_month(self) -> tuple[int, int]:
        raw = self.cleaned_data["month"]
        try:
            day = datetime.datetime.strptime(raw, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("月份应写作 2024-10") from None
        return day.year, day.month
