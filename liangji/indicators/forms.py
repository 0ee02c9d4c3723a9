"""Forms of the work list pages."""

from __future__ import annotations

from typing import Any

from django import forms

from liangji.indicators.worklist import WORKLIST_STATES
from liangji.registers.choices import TOWN_KINDS, Resolution
from liangji.registers.forms import unit_choices
from liangji.registers.models import Unit


class WorklistFilterForm(forms.Form):
    code = forms.ChoiceField(label="清单（指标）", required=False)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label="处理情况", required=False, choices=[("", "全部"), *WORKLIST_STATES.items()]
    )
    assigned = forms.TypedChoiceField(
        label="责任单位", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, codes: list[tuple[str, str]], units: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes  # type: ignore[attr-defined]
        self.fields["unit"].choices = unit_choices(units, "（本单位）")  # type: ignore[attr-defined]
        self.fields["assigned"].choices = unit_choices(  # type: ignore[attr-defined]
            [u for u in units if u.kind not in TOWN_KINDS], "全部"
        )


class WorkResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label="处理结果", required=False, choices=[("", "（未处理/重新打开）"), *Resolution.choices]
    )
    note = forms.CharField(
        label="处理说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
