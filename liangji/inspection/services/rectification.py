"""Supervision visits, their findings, and rectification: every failed self-check item and
every finding becomes a task, which the unit submits and the town office verifies or rejects."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from liangji.accounts.models import user_or_none
from liangji.accounts.scope import can
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import (
    RECTIFICATION_TRANSITIONS,
    RectificationStatus,
    Severity,
)
from liangji.inspection.models import (
    Finding,
    InspectionResult,
    Rectification,
    StandardItem,
    SupervisionVisit,
)
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


# A rectification is due this many days after the problem was found, unless a deadline is given.
RECTIFICATION_DAYS = 30

# --- supervision and findings -----------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    town: Unit,
    school_year: SchoolYear,
    visited_on: datetime.date,
    team: str,
    units: Iterable[Unit],
    checked: str,
    user: Actor | None,
) -> SupervisionVisit:
    unit_list = list(units)
    strangers = [u.name for u in unit_list if u.town != town]
    if strangers:
        raise InspectionRuleError(f"{'、'.join(strangers)} 不属于 {town}")
    if not unit_list:
        raise InspectionRuleError("请至少选择一个督查单位")
    visit = SupervisionVisit.objects.create(
        town=town, school_year=school_year, visited_on=visited_on, team=team, checked=checked
    )
    visit.units.set(unit_list)
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="SupervisionVisit",
        entity_id=visit.pk,
        summary=f"{town} {visited_on} 督查：{'、'.join(u.name for u in unit_list)}",
        unit=town,
    )
    return visit


@transaction.atomic
def finding_record(
    *,
    unit: Unit,
    description: str,
    severity: Severity | str,
    found_on: datetime.date,
    school_year: SchoolYear,
    user: Actor | None,
    item: StandardItem | None = None,
    visit: SupervisionVisit | None = None,
    inspection: InspectionResult | None = None,
    deadline: datetime.date | None = None,
) -> Finding:
    """A problem found by supervision or inspection, and the rectification task it opens."""
    if visit is not None and not visit.units.filter(pk=unit.pk).exists():
        raise InspectionRuleError(f"{unit} 不在本次督查的单位之中")
    finding = Finding(
        unit=unit,
        item=item,
        description=description,
        severity=severity,
        found_on=found_on,
        visit=visit,
        inspection=inspection,
    )
    finding.full_clean()
    finding.save()
    Rectification.objects.create(
        unit=unit,
        school_year=school_year,
        item=item,
        finding=finding,
        problem=description,
        deadline=deadline or found_on + datetime.timedelta(days=RECTIFICATION_DAYS),
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Finding",
        entity_id=finding.pk,
        summary=f"{unit} 发现问题（{severity}）：{description}",
        unit=unit,
    )
    return finding


# --- rectification ----------------------------------------------------------------------------


def _rectification_move(
    rectification: Rectification, to: RectificationStatus
) -> tuple[Rectification, str]:
    locked = (
        Rectification.objects.select_for_update().select_related("unit").get(pk=rectification.pk)
    )
    if to not in RECTIFICATION_TRANSITIONS[locked.status]:
        raise InspectionRuleError(
            f"整改任务当前为“{locked.get_status_display()}”，不能改为“{to.label}”"
        )
    return locked, locked.status


def _rectification_audit(
    rectification: Rectification, before: str, user: Actor | None, what: str
) -> None:
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="Rectification",
        entity_id=rectification.pk,
        summary=f"{rectification.unit} 整改任务{what}：{rectification.problem}",
        before={"status": before},
        after={"status": rectification.status, "comment": rectification.review_comment},
        unit=rectification.unit,
    )


@transaction.atomic
def rectification_submit(
    *, rectification: Rectification, measure: str, evidence_note: str, user: Actor | None
) -> Rectification:
    """The unit reports what it did, for the town office to verify."""
    rectification, before = _rectification_move(rectification, RectificationStatus.SUBMITTED)
    if not measure.strip():
        raise InspectionRuleError("请填写整改措施")
    if not evidence_note.strip() and not rectification.evidence.exists():
        raise InspectionRuleError("请上传整改佐证材料或写明佐证说明，再提交验收")
    rectification.measure, rectification.evidence_note = measure, evidence_note
    rectification.status = RectificationStatus.SUBMITTED
    rectification.save()
    _rectification_audit(rectification, before, user, "提交验收")
    return rectification


def _require_reviewer(user: Actor | None) -> None:
    # The command line (user None) is the office PC itself; a web user must be a reviewer.
    if user is not None and not can(user, "inspection.review"):
        raise InspectionRuleError("整改验收由镇两基办或县督导进行，您的角色不能验收")


@transaction.atomic
def rectification_verify(
    *, rectification: Rectification, comment: str, today: datetime.date, user: Actor | None
) -> Rectification:
    """The town office accepts the rectification: the task is closed (销号)."""
    _require_reviewer(user)
    rectification, before = _rectification_move(rectification, RectificationStatus.CLOSED)
    rectification.status, rectification.closed_on = RectificationStatus.CLOSED, today
    rectification.review_comment = comment
    rectification.reviewed_by = user_or_none(user)
    rectification.save()
    _rectification_audit(rectification, before, user, "验收销号")
    return rectification


@transaction.atomic
def rectification_reject(
    *, rectification: Rectification, comment: str, user: Actor | None
) -> Rectification:
    _require_reviewer(user)
    if not comment.strip():
        raise InspectionRuleError("退回整改时请写明退回理由")
    rectification, before = _rectification_move(rectification, RectificationStatus.REJECTED)
    rectification.status, rectification.review_comment = RectificationStatus.REJECTED, comment
    rectification.reviewed_by = user_or_none(user)
    rectification.save()
    _rectification_audit(rectification, before, user, "退回重改")
    return rectification
