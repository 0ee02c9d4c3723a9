"""Writes of the reports app: every export and every reveal of personal data is audited, in the
same transaction as the bookkeeping of the export."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.models import Unit


@transaction.atomic
def report_export_record(
    *,
    user: Any | None,
    what: str,
    unit: Unit,
    school_year: int,
    rows: int,
    fmt: str,
    full_ids: bool = False,
    target: str = "",
) -> None:
    """Who exported which report of which unit, and how many lines of it."""
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="Report",
        entity_id=what[:40],
        summary=(
            f"导出 {school_year} 学年 {unit.name} {what}({fmt},{rows} 行)"
            f"{'(含完整身份证号)' if full_ids else ''}{f' 至 {target}' if target else ''}"
        ),
        unit=unit,
    )


@transaction.atomic
def report_ids_reveal(*, user: Any, what: str, unit: Unit, school_year: int, rows: int) -> None:
    """Full ID numbers shown on a report page: a reveal of personal data."""
    audit_record(
        user=user,
        action=AuditAction.REVEAL,
        entity="Report",
        entity_id=what[:40],
        summary=f"显示完整身份证号:{school_year} 学年 {unit.name} {what}({rows} 人)",
        unit=unit,
    )
