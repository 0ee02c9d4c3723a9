"""Forms of the register pages: filters, record edits, person and roll events."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.registers.choices import (
    Exemption,
    PriorityGroup,
    RollEventKind,
    RollStatus,
)
from liangji.registers.models import PersonRecord, Unit
from liangji.registers.selectors import PERSON_STATUSES
from liangji.registers.services import PERSON_RECORD_EDITABLE


class DateInput(forms.DateInput):
    input_type = "date"


def unit_choices(units: Any, empty: str) -> list[tuple[Any, str]]:
    return [("", empty), *((u.pk, u.name) for u in units)]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="姓名/拼音首字母/身份证号", required=False)
    village = forms.TypedChoiceField(label="村/社区", required=False, coerce=int, empty_value=None)
    age_min = forms.IntegerField(label="最小年龄", required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label="最大年龄", required=False, min_value=0, max_value=120)
    group = forms.ChoiceField(
        label="特殊群体", required=False, choices=[("", "全部"), *PriorityGroup.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *PERSON_STATUSES.items()]
    )

    def __init__(self, *args: Any, villages: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = unit_choices(villages, "全部")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            {"placeholder": "如 张三、zs、5118…", "type": "search"}
        )


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label="户号/成员姓名/身份证号", required=False)
    village = forms.TypedChoiceField(label="村/社区", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, villages: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = unit_choices(villages, "全部")  # type: ignore[attr-defined]


class RollFilterForm(forms.Form):
    q = forms.CharField(label="姓名/拼音首字母/身份证号/学籍号", required=False)
    school = forms.TypedChoiceField(label="学校", required=False, coerce=int, empty_value=None)
    grade = forms.TypedChoiceField(
        label="年级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *((g, f"{g}年级") for g in range(1, 10))],
    )
    status = forms.ChoiceField(
        label="学籍状态", required=False, choices=[("", "全部"), *RollStatus.choices]
    )

    def __init__(self, *args: Any, schools: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = unit_choices(schools, "全部")  # type: ignore[attr-defined]


class PersonRecordForm(forms.ModelForm):
    """Edit one yearly record; `version` travels with the form to detect concurrent saves."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PersonRecord
        fields = list(PERSON_RECORD_EDITABLE)
        widgets = {
            "moved_out_on": DateInput,
            "died_on": DateInput,
            "exemption_approved_on": DateInput,
            "exemption_until": DateInput,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        # The service validates and saves; the form must not write into the instance.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_RECORD_EDITABLE}


class _VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeathForm(_VersionedForm):
    died_on = forms.DateField(label="死亡日期", widget=DateInput)


class MoveOutForm(_VersionedForm):
    moved_out_on = forms.DateField(label="迁出日期", widget=DateInput)


class ExemptionForm(_VersionedForm):
    exemption = forms.ChoiceField(label="类别", choices=Exemption.choices)
    approved_on = forms.DateField(label="批准日期", widget=DateInput)
    until = forms.DateField(label="截止日期", widget=DateInput, required=False)


PERSON_EVENT_FORMS: dict[str, tuple[str, type[_VersionedForm]]] = {
    "death": ("登记死亡", DeathForm),
    "move-out": ("登记户籍迁出", MoveOutForm),
    "exemption": ("登记免学/缓学", ExemptionForm),
}


class RollEventForm(forms.Form):
    kind = forms.ChoiceField(label="变动", choices=RollEventKind.choices)
    date = forms.DateField(label="日期", widget=DateInput)
    other_school = forms.CharField(
        label="对方学校", required=False, max_length=100, help_text="转出时填写转入学校"
    )
    note = forms.CharField(label="说明", required=False, max_length=500)


class RevealForm(forms.Form):
    """Nothing to fill in: the POST itself is the audited request."""
