"""Self-checks: a round per unit, the automatic items judged from the data, a result per
item (未达标 opens a rectification task), evidence, and the report to the town office."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from liangji.accounts.models import user_or_none
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.choices import (
    ItemResult,
    JudgedBy,
    RectificationStatus,
    SelfCheckStatus,
)
from liangji.inspection.models import (
    Evidence,
    Rectification,
    SelfCheck,
    SelfCheckResult,
    StandardItem,
)
from liangji.inspection.rules import applicable_items, town_units
from liangji.inspection.services.errors import InspectionRuleError
from liangji.inspection.services.rectification import RECTIFICATION_DAYS
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


# --- self-checks ------------------------------------------------------------------------------


@transaction.atomic
def self_check_create(
    *,
    unit: Unit,
    school_year: SchoolYear,
    checked_on: datetime.date,
    user: Actor | None,
    indicator_report: IndicatorReport | None = None,
) -> SelfCheck:
    """Open the next round of a unit's self-check, with the automatic items already judged."""
    if not (unit.is_town or unit.is_village or unit.is_school):
        raise InspectionRuleError(f"{unit} 不是镇、村（社区）或学校，不能自查")
    last = (
        SelfCheck.objects.filter(unit=unit, school_year=school_year)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )
    self_check = SelfCheck.objects.create(
        unit=unit, school_year=school_year, round=(last or 0) + 1, checked_on=checked_on
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="SelfCheck",
        entity_id=self_check.pk,
        summary=f"开始{self_check}",
        unit=unit,
    )
    self_check_autofill(self_check=self_check, user=user, indicator_report=indicator_report)
    return self_check


def _automatic_problems(
    item: StandardItem,
    unit: Unit,
    school_year: SchoolYear,
    indicator_report: IndicatorReport | None,
) -> list[str] | None:
    """The problems of an automatic item for a unit; None when it cannot be judged (no report)."""
    if item.judged_by == JudgedBy.INDICATORS:
        if indicator_report is None:
            return None
        outcomes = rules.universalisation_results(indicator_report).get(unit.pk, [])
        return rules.indicator_problems(outcomes, item.indicator_code_list)
    if unit.is_town and item.judged_by not in {JudgedBy.FUNDING, JudgedBy.LITERACY}:
        # The town answers for the buildings, hazards and teachers of all its schools.
        schools = [u for u in town_units(unit) if u.is_school]
        by_school = rules.register_problems(item.judged_by, schools, school_year)
        names = {s.pk: s.name for s in schools}
        return [f"{names[sid]}：{p}" for sid, problems in by_school.items() for p in problems]
    return rules.register_problems(item.judged_by, [unit], school_year).get(unit.pk, [])


@transaction.atomic
def self_check_autofill(
    *, self_check: SelfCheck, user: Actor | None, indicator_report: IndicatorReport | None = None
) -> int:
    """Judge every automatic item of the self-check from the data; returns how many were set."""
    count = 0
    for item in applicable_items(self_check.unit):
        if item.judged_by == JudgedBy.SELF_CHECK:
            continue
        problems = _automatic_problems(
            item, self_check.unit, self_check.school_year, indicator_report
        )
        if problems is None:
            continue
        self_check_result_set(
            self_check=self_check,
            item=item,
            result=ItemResult.NOT_MET if problems else ItemResult.MET,
            comment="；".join(problems) if problems else "系统按登记数据自动判定达标",
            user=user,
        )
        count += 1
    return count


@transaction.atomic
def self_check_result_set(
    *,
    self_check: SelfCheck,
    item: StandardItem,
    result: ItemResult | str,
    comment: str = "",
    user: Actor | None,
) -> SelfCheckResult:
    """Record an item's result. 未达标 opens a rectification task for the unit."""
    if self_check.status == SelfCheckStatus.SUBMITTED:
        raise InspectionRuleError(f"{self_check} 已上报，不能再修改；如需更正请开始新一轮自查")
    if not item.applies_to(self_check.unit):
        raise InspectionRuleError(f"检查项目 {item.code} 不适用于 {self_check.unit}")
    if result == ItemResult.NOT_MET and not comment.strip():
        raise InspectionRuleError(f"{item.code} 未达标，请在说明中写明存在的问题")
    row, created = SelfCheckResult.objects.get_or_create(
        self_check=self_check, item=item, defaults={"result": result, "comment": comment}
    )
    before = None if created else {"result": row.result, "comment": row.comment}
    row.result, row.comment = result, comment
    row.full_clean()
    row.save()
    if result == ItemResult.NOT_MET and not _rectification_open(self_check, item, row):
        Rectification.objects.create(
            unit=self_check.unit,
            school_year=self_check.school_year,
            item=item,
            self_check_result=row,
            problem=f"{item.code} {item.name}：{comment}"[:1000],
            deadline=self_check.checked_on + datetime.timedelta(days=RECTIFICATION_DAYS),
        )
    audit_record(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        entity="SelfCheckResult",
        entity_id=row.pk,
        summary=f"{self_check} {item.code} {result}",
        before=before,
        after={"result": str(result), "comment": comment},
        unit=self_check.unit,
    )
    return row


def _rectification_open(self_check: SelfCheck, item: StandardItem, row: SelfCheckResult) -> bool:
    """Whether the failed item already has a task: its own, or an open one of an earlier round
    (a problem found again in round 2 is the same problem, not a second task)."""
    return (
        hasattr(row, "rectification")
        or Rectification.objects.filter(
            unit=self_check.unit, school_year=self_check.school_year, item=item
        )
        .exclude(status=RectificationStatus.CLOSED)
        .exists()
    )


@transaction.atomic
def self_check_submit(*, self_check: SelfCheck, summary: str, user: Actor | None) -> SelfCheck:
    """Report the self-check to the town office; every applicable item needs a result."""
    self_check = SelfCheck.objects.select_for_update().select_related("unit").get(pk=self_check.pk)
    if self_check.status == SelfCheckStatus.SUBMITTED:
        raise InspectionRuleError(f"{self_check} 已上报")
    done = set(self_check.results.values_list("item_id", flat=True))
    missing = [item.code for item in applicable_items(self_check.unit) if item.pk not in done]
    if missing:
        raise InspectionRuleError(
            f"还有 {len(missing)} 个检查项目没有结果：{'、'.join(missing)}；请逐项填写后再上报"
        )
    self_check.status, self_check.summary = SelfCheckStatus.SUBMITTED, summary
    self_check.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="SelfCheck",
        entity_id=self_check.pk,
        summary=f"上报{self_check}",
        after={"status": SelfCheckStatus.SUBMITTED},
        unit=self_check.unit,
    )
    return self_check


@transaction.atomic
def evidence_attach(
    *,
    file: UploadedFile,
    title: str,
    user: Actor | None,
    self_check_result: SelfCheckResult | None = None,
    rectification: Rectification | None = None,
) -> Evidence:
    owner = self_check_result.self_check.unit if self_check_result else None
    owner = owner or (rectification.unit if rectification else None)
    if owner is None or (self_check_result and rectification):
        raise ValueError("evidence belongs to exactly one self-check result or rectification")
    evidence = Evidence(
        file=file,
        title=title or file.name or "佐证材料",
        uploaded_by=user_or_none(user),
        self_check_result=self_check_result,
        rectification=rectification,
    )
    evidence.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Evidence",
        entity_id=evidence.pk,
        summary=f"{owner} 上传佐证材料：{evidence.title}",
        unit=owner,
    )
    return evidence
