"""Forms of the literacy pages: they validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.literacy.models import ClassMember, VenueKind
from liangji.literacy.selectors import AGE_BANDS, LedgerStatus
from liangji.registers.choices import Sex
from liangji.registers.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")  # ISO, so <input type=date> round-trips


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _blank(choices: Any, empty: str = "全部") -> list[tuple[str, str]]:
    return [("", empty), *choices]


def _villages(villages: list[Unit]) -> list[tuple[int, str]]:
    return [(v.pk, v.name) for v in villages]


class LedgerFilterForm(forms.Form):
    village = forms.TypedChoiceField(
        label="村（社区）", required=False, coerce=int, empty_value=None
    )
    age_band = forms.ChoiceField(
        label="年龄段", required=False, choices=_blank([(k, f"{k}岁") for k in AGE_BANDS])
    )
    sex = forms.ChoiceField(label="性别", required=False, choices=_blank(Sex.choices))
    status = forms.ChoiceField(
        label="状态", required=False, choices=_blank(list(LedgerStatus.LABELS.items()))
    )

    def __init__(self, *args: Any, villages: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _blank(_villages(villages))  # type: ignore[attr-defined]


class ClassOpenForm(forms.Form):
    village = forms.TypedChoiceField(label="村（社区）", coerce=int)
    name = forms.CharField(label="班名", max_length=100)
    venue_kind = forms.ChoiceField(label="办学形式", choices=VenueKind.choices)
    venue = forms.CharField(label="办学地点", max_length=100, required=False)
    textbook = forms.CharField(label="教材", max_length=100, required=False)
    schedule = forms.CharField(label="教学安排", max_length=200, required=False)
    planned_hours = forms.IntegerField(label="计划课时", min_value=1, max_value=2000)
    opened_on = _date("开班日期")
    teacher_name = forms.CharField(label="教师姓名", max_length=50, required=False)
    teacher_unit = forms.CharField(label="教师单位", max_length=100, required=False)
    teacher_phone = forms.CharField(label="教师电话", max_length=30, required=False)

    def __init__(self, *args: Any, villages: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _villages(villages)  # type: ignore[attr-defined]


class TeacherForm(forms.Form):
    name = forms.CharField(label="教师姓名", max_length=50)
    unit = forms.CharField(label="单位", max_length=100, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)


class MembersAddForm(forms.Form):
    persons = forms.TypedMultipleChoiceField(label="扫盲对象", coerce=int)
    joined_on = _date("入班日期")

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = candidates  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = _date("上课日期")
    hours = forms.DecimalField(label="课时", min_value=0.5, max_value=12, decimal_places=1)
    content = forms.CharField(label="教学内容", max_length=200)
    present = forms.TypedMultipleChoiceField(
        label="出勤学员", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[ClassMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, m.person.name) for m in members]  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    closed_on = _date("结业日期")


class IssueForm(forms.Form):
    issued_on = _date("发证日期")


class JudgementForm(forms.Form):
    judged_on = _date("鉴定日期")
    judged_by = forms.CharField(label="鉴定机构", max_length=100)
    grounds = forms.CharField(label="鉴定结论与依据", max_length=300)
    document = forms.CharField(label="证明文件编号", max_length=60, required=False)


class RetestForm(forms.Form):
    date = _date("复查日期")
    characters_known = forms.IntegerField(label="识字数", min_value=0, max_value=10000)
    reading = forms.BooleanField(label="能阅读", required=False)
    accounts = forms.BooleanField(label="能记账", required=False)
    writing = forms.BooleanField(label="能写便条", required=False)


class TrainingForm(forms.Form):
    village = forms.TypedChoiceField(label="村（社区）", coerce=int)
    topic = forms.CharField(label="培训内容", max_length=200)
    date = _date("日期")
    hours = forms.DecimalField(label="课时", min_value=0.5, max_value=100, decimal_places=1)
    participants = forms.IntegerField(label="参训人数", min_value=1, max_value=10000)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, villages: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _villages(villages)  # type: ignore[attr-defined]


SKILLS = (("reading", "阅读"), ("accounts", "记账"), ("writing", "写便条"))


class LiteracyTestForm(forms.Form):
    """A test session: one line per learner (识字数 and the three skills); blank lines are
    learners who did not sit the test."""

    date = _date("测验日期")
    examiner = forms.CharField(label="主考", max_length=100, required=False)

    def __init__(self, *args: Any, members: list[ClassMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"chars_{m.pk}"] = forms.IntegerField(
                label=f"{m.person.name} 识字数", min_value=0, max_value=10000, required=False
            )
            for skill, label in SKILLS:
                self.fields[f"{skill}_{m.pk}"] = forms.BooleanField(
                    label=f"{m.person.name} {label}", required=False
                )

    def lines(self) -> list[tuple[ClassMember, int, bool, bool, bool]]:
        d = self.cleaned_data
        return [
            (
                m,
                d[f"chars_{m.pk}"],
                d[f"reading_{m.pk}"],
                d[f"accounts_{m.pk}"],
                d[f"writing_{m.pk}"],
            )
            for m in self.members
            if d.get(f"chars_{m.pk}") is not None
        ]
