"""Writes of the indicators: exports of personal data (written to a file and audited together)
and the work lists (who follows a line of a shortfall, and how it was resolved).

The audit row is written in the same transaction as the export's bookkeeping; the file is
written first, so that an export that failed to write leaves no claim in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.definitions import definition_get
from liangji.indicators.exports import table_xlsx
from liangji.indicators.models import WorkItem
from liangji.indicators.shortfall import ShortfallRow
from liangji.registers.choices import Resolution
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.privacy import mask_id
from liangji.registers.services import RecordChanged

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


SHORTFALL_HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "年龄",
    "村/社区",
    "户号",
    "学校",
    "年级",
    "原因",
    "身份证号",
]


def shortfall_table(rows: Sequence[ShortfallRow], *, full_ids: bool) -> list[list[object]]:
    return [
        [
            row.name,
            row.sex,
            row.birth_date.isoformat(),
            row.age,
            row.village,
            row.household,
            row.school,
            row.grade,
            row.reason,
            row.id_number if full_ids else mask_id(row.id_number),
        ]
        for row in rows
    ]


@transaction.atomic
def shortfall_export(
    *,
    code: str,
    school_year: int,
    rows: Sequence[ShortfallRow],
    unit: Unit,
    path: Path,
    user: Actor | None,
    full_ids: bool = False,
) -> Path:
    """Write a shortfall list to Excel and record who exported whose data."""
    definition = definition_get(code)
    table_xlsx(
        path, f"{definition.name}名单", SHORTFALL_HEADER, shortfall_table(rows, full_ids=full_ids)
    )
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="ShortfallList",
        entity_id=code,
        summary=(
            f"导出 {school_year} 学年 {unit.name} {definition.name} 未达标名单 {len(rows)} 人"
            f"{'（含完整身份证号）' if full_ids else ''} 至 {path}"
        ),
        after={"people": [row.person_id or row.enrollment_id for row in rows][:1000]},
        unit=unit,
    )
    return path


@transaction.atomic
def personal_listing_record(
    *, what: str, school_year: int, unit: Unit, count: int, user: Actor | None
) -> None:
    """A list of people shown on screen (the terminal) is a reveal of personal data too."""
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity=what,
        summary=f"查看 {school_year} 学年 {unit.name} {what} {count} 人",
        unit=unit,
    )


@transaction.atomic
def table_export(
    *,
    what: str,
    school_year: int,
    unit: Unit,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    path: Path,
    user: Actor | None,
) -> Path:
    table_xlsx(path, what, header, rows)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity=what,
        summary=f"导出 {school_year} 学年 {unit.name} {what} {len(rows)} 行 至 {path}",
        unit=unit,
    )
    return path


# The work lists: who follows a line, and how it was resolved.


def _subject(key: str) -> dict[str, int]:
    """ "p12" → person 12, "e7" → enrollment 7."""
    if len(key) > 1 and key[0] in "pe" and key[1:].isdigit():
        return {"person_id" if key[0] == "p" else "enrollment_id": int(key[1:])}
    raise ValidationError(f"无效的清单行：{key}")


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
    user: Actor,
) -> int:
    """Assign lines to a village or school (None: withdraw the assignment). Returns the count."""
    if unit is not None and unit.parent_id != town.pk:
        raise ValidationError(f"{unit.name} 不属于 {town.name}，不能分派。")
    now = timezone.now()
    for key in keys:
        item, _ = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
        item.assigned_unit, item.assigned_at, item.assigned_by = unit, now, user_or_none(user)
        item.version += 1
        item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=list_code,
        summary=f"{school_year} {list_code}：{len(keys)} 条分派给 "
        + (unit.name if unit else "（无）"),
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
    user: Actor,
) -> WorkItem:
    """Record how a line was handled ("" reopens it).

    `expected_version` is the version the user saw (0: the line had no record yet); a save over
    someone else's later change is refused.
    """
    if resolution and resolution not in Resolution.values:
        raise ValidationError(f"未知的处理结果：{resolution}")
    item, created = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
    if not created and item.version != expected_version:
        raise RecordChanged("该清单事项")
    before = {"resolution": item.resolution, "note": item.resolution_note}
    item.resolution, item.resolution_note = resolution, note[:500]
    item.resolved_at = timezone.now() if resolution else None
    item.resolved_by = user_or_none(user) if resolution else None
    item.version += 1
    item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=item.pk,
        summary=f"{school_year} {list_code} {key}：{resolution or '重新打开'}",
        before=before,
        after={"resolution": item.resolution, "note": item.resolution_note},
        unit=item.assigned_unit or town,
    )
    return item
