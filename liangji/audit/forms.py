from __future__ import annotations

from django import forms

from liangji.audit.labels import entity_label
from liangji.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *AuditAction.choices]
    )
    entity = forms.ChoiceField(label="对象类型", required=False, choices=[("", "全部")])
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, entities: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entity"].choices = [("", "全部"), *((e, entity_label(e)) for e in entities)]  # type: ignore[attr-defined]
