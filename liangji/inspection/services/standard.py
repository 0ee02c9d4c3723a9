"""Edits of the inspection standard (the default one is loaded by migration 0002)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import JudgedBy
from liangji.inspection.models import StandardItem
from liangji.inspection.services.errors import InspectionRuleError

_EDITABLE = (
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
)


@transaction.atomic
def standard_item_update(*, item: StandardItem, user: Any | None, **changes: Any) -> StandardItem:
    """Change an item's wording, judgement, evidence, scope or veto flag."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    item = StandardItem.objects.select_for_update().get(pk=item.pk)
    before = {field: getattr(item, field) for field in changes}
    for field, value in changes.items():
        setattr(item, field, value)
    if item.judged_by == JudgedBy.INDICATORS and not item.indicator_code_list:
        raise InspectionRuleError(f"{item.code} 按指标判定,请填写对应的指标代码")
    if not (item.applies_to_town or item.applies_to_village or item.applies_to_school):
        raise InspectionRuleError(f"{item.code} 至少要适用于镇、村(社区)或学校之一")
    item.full_clean()
    item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="StandardItem",
        entity_id=item.pk,
        summary=f"修改检查项目 {item.code} {item.name}",
        before=before,
        after={field: getattr(item, field) for field in changes},
    )
    return item
