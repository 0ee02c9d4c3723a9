"""Writes of the work lists: who follows a line, and how it was resolved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import Resolution
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.services import RecordChanged
from liangji.web.models import WorkItem


def _subject(key: str) -> dict[str, int]:
    """ "p12" → person 12, "e7" → enrollment 7."""
    if len(key) > 1 and key[0] in "pe" and key[1:].isdigit():
        return {"person_id" if key[0] == "p" else "enrollment_id": int(key[1:])}
    raise ValidationError(f"无效的清单行:{key}")


def _item_get(
    *, school_year: SchoolYear, town: Unit, list_code: str, key: str
) -> tuple[WorkItem, bool]:
    return WorkItem.objects.select_for_update().get_or_create(
        school_year=school_year, town=town, list_code=list_code, key=key, defaults=_subject(key)
    )


@transaction.atomic
def work_items_assign(
    *,
    school_year: SchoolYear,
    town: Unit,
    list_code: str,
    keys: list[str],
    unit: Unit | None,
    user: Any,
) -> int:
    """Assign lines to a village or school (None: withdraw the assignment). Returns the count."""
    if unit is not None and unit.parent_id != town.pk:
        raise ValidationError(f"{unit.name} 不属于 {town.name},不能分派。")
    now = timezone.now()
    for key in keys:
        item, _ = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
        item.assigned_unit, item.assigned_at, item.assigned_by = unit, now, user
        item.version += 1
        item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=list_code,
        summary=f"{school_year} {list_code}:{len(keys)} 条分派给 {unit.name if unit else '(无)'}",
        after={"keys": keys[:200], "unit": unit.name if unit else ""},
        unit=town,
    )
    return len(keys)


@transaction.atomic
def work_item_resolve(
    *,
    school_year: SchoolYear,
    town: Unit,
    list_code: str,
    key: str,
    resolution: Resolution | str,
    note: str,
    expected_version: int,
    user: Any,
) -> WorkItem:
    """Record how a line was handled ("" reopens it).

    `expected_version` is the version the user saw (0: the line had no record yet); a save over
    someone else's later change is refused.
    """
    if resolution and resolution not in Resolution.values:
        raise ValidationError(f"未知的处理结果:{resolution}")
    item, created = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
    if not created and item.version != expected_version:
        raise RecordChanged("该清单事项")
    before = {"resolution": item.resolution, "note": item.resolution_note}
    item.resolution, item.resolution_note = resolution, note[:500]
    item.resolved_at = timezone.now() if resolution else None
    item.resolved_by = user if resolution else None
    item.version += 1
    item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=item.pk,
        summary=f"{school_year} {list_code} {key}:{resolution or '重新打开'}",
        before=before,
        after={"resolution": item.resolution, "note": item.resolution_note},
        unit=item.assigned_unit or town,
    )
    return item
