"""Edits of the inspection standard (the default one is loaded by migration 0002)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import JudgedBy
from liangji.inspection.models import StandardAspect, StandardItem
from liangji.inspection.services.errors import InspectionRuleError

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


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


def _item_check(item: StandardItem) -> None:
    if item.judged_by == JudgedBy.INDICATORS and not item.indicator_code_list:
        raise InspectionRuleError(f"{item.code} 按指标判定，请填写对应的指标代码")
    if not (item.applies_to_town or item.applies_to_village or item.applies_to_school):
        raise InspectionRuleError(f"{item.code} 至少要适用于镇、村（社区）或学校之一")
    item.full_clean()


@transaction.atomic
def standard_item_create(
    *, aspect: StandardAspect, code: str, user: Actor | None, **fields: Any
) -> StandardItem:
    """Add an item to an aspect (a county's own requirement, say), after the aspect's last."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if StandardItem.objects.filter(code=code).exists():
        raise InspectionRuleError(f"编号 {code} 已被使用，请换一个编号")
    last = aspect.items.order_by("-order").values_list("order", flat=True).first() or 0
    item = StandardItem(aspect=aspect, code=code, order=last + 1, **fields)
    _item_check(item)
    item.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="StandardItem",
        entity_id=item.pk,
        summary=f"新增检查项目 {item.code} {item.name}（{aspect.name}）",
    )
    return item


@transaction.atomic
def standard_item_update(*, item: StandardItem, user: Actor | None, **changes: Any) -> StandardItem:
    """Change an item's wording, judgement, evidence, scope or veto flag."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    item = StandardItem.objects.select_for_update().get(pk=item.pk)
    before = {field: getattr(item, field) for field in changes}
    for field, value in changes.items():
        setattr(item, field, value)
    _item_check(item)
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
