"""Forms of the archive pages: they validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.archive.models import EntrySource, ProofKind, UnitLevel, Verdict
from liangji.archive.uploads import upload_refusal


def _file_check(upload: Any) -> Any:
    refusal = upload_refusal(str(upload.name), upload.size)
    if refusal is not None:
        raise forms.ValidationError(refusal)
    return upload


class UploadForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=200, required=False)
    file = forms.FileField(label="文件")

    def clean_file(self) -> Any:
        return _file_check(self.cleaned_data["file"])


class ReplaceForm(forms.Form):
    file = forms.FileField(label="新版本文件")
    note = forms.CharField(label="替换说明", max_length=300, required=False)

    def clean_file(self) -> Any:
        return _file_check(self.cleaned_data["file"])


class ProofForm(forms.Form):
    kind = forms.ChoiceField(label="证明类别", choices=ProofKind.choices)
    file = forms.FileField(label="证明文件")

    def clean_file(self) -> Any:
        return _file_check(self.cleaned_data["file"])


class EntryForm(forms.Form):
    code = forms.CharField(label="编号", max_length=20, required=False)
    title = forms.CharField(label="名称", max_length=200)
    unit_levels = forms.MultipleChoiceField(
        label="需要归档的单位", choices=UnitLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    required = forms.BooleanField(label="必备", required=False)
    per_year = forms.BooleanField(label="逐学年", required=False, initial=True)
    source = forms.ChoiceField(label="来源", choices=EntrySource.choices)


class SpotCheckForm(forms.Form):
    unit = forms.TypedChoiceField(label="抽查单位", coerce=int)
    size = forms.IntegerField(label="抽查人数", min_value=1, max_value=200, initial=10)
    seed = forms.IntegerField(
        label="随机种子（留空则随机产生）", required=False, min_value=0, max_value=2**62
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label="结论", choices=Verdict.choices)
    note = forms.CharField(label="说明", max_length=500, required=False)


class ExportForm(forms.Form):
    unit = forms.TypedChoiceField(label="单位", coerce=int)
    year_from = forms.IntegerField(label="起始学年", min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label="截止学年", min_value=1990, max_value=2100)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError("起始学年不能晚于截止学年。")
        return data
