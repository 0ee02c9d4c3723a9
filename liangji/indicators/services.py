"""Exports of personal data from the indicators: written to a file and audited together.

The audit row is written in the same transaction as the export's bookkeeping; the file is
written first, so that an export that failed to write leaves no claim in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.definitions import definition_get
from liangji.indicators.exports import table_xlsx
from liangji.indicators.shortfall import ShortfallRow
from liangji.registers.models import Unit
from liangji.registers.privacy import mask_id

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
    user: Any | None,
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
            f"{'(含完整身份证号)' if full_ids else ''} 至 {path}"
        ),
        after={"people": [row.person_id or row.enrollment_id for row in rows][:1000]},
        unit=unit,
    )
    return path


@transaction.atomic
def personal_listing_record(
    *, what: str, school_year: int, unit: Unit, count: int, user: Any | None
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
    user: Any | None,
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
