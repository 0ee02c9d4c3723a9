"""Self-checks, supervision findings, rectification, applications and inspection results.

Every failed self-check item and every finding becomes a rectification task; a village or school
may apply for town inspection only when all its tasks are closed (销号) by the town office, and
the town may apply for county review only when every unit passed town inspection.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from liangji.accounts.scope import can
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.choices import (
    RECTIFICATION_TRANSITIONS,
    InspectionLevel,
    ItemResult,
    JudgedBy,
    RectificationStatus,
    SelfCheckStatus,
    Severity,
)
from liangji.inspection.models import (
    Evidence,
    Finding,
    InspectionApplication,
    InspectionResult,
    Rectification,
    SelfCheck,
    SelfCheckResult,
    StandardItem,
    SupervisionVisit,
)
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import SchoolYear, Unit

# A rectification is due this many days after the problem was found, unless a deadline is given.
RECTIFICATION_DAYS = 30

# The level that must have been passed before applying for the next one.
_PREVIOUS_LEVEL = {
    InspectionLevel.CITY: InspectionLevel.COUNTY,
    InspectionLevel.NATIONAL: InspectionLevel.CITY,
}


def applicable_items(unit: Unit) -> list[StandardItem]:
    items = StandardItem.objects.filter(active=True).select_related("aspect")
    return [item for item in items if item.applies_to(unit)]


def town_units(town: Unit) -> list[Unit]:
    """The villages and schools of a town (also those under a 学区 of the town)."""
    units = Unit.objects.filter(parent=town) | Unit.objects.filter(parent__parent=town)
    chosen = [u for u in units if u.is_village or u.is_school]
    return sorted(chosen, key=lambda u: (u.is_school, u.name))


# --- self-checks ------------------------------------------------------------------------------


@transaction.atomic
def self_check_create(
    *,
    unit: Unit,
    school_year: SchoolYear,
    checked_on: datetime.date,
    user: Any | None,
    indicator_report: IndicatorReport | None = None,
) -> SelfCheck:
    """Open the next round of a unit's self-check, with the automatic items already judged."""
    if not (unit.is_town or unit.is_village or unit.is_school):
        raise InspectionRuleError(f"{unit} 不是镇、村(社区)或学校,不能自查")
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
    if unit.is_town and item.judged_by != JudgedBy.FUNDING:
        # The town answers for the buildings, hazards and teachers of all its schools.
        schools = [u for u in town_units(unit) if u.is_school]
        by_school = rules.register_problems(item.judged_by, schools, school_year)
        names = {s.pk: s.name for s in schools}
        return [f"{names[sid]}:{p}" for sid, problems in by_school.items() for p in problems]
    return rules.register_problems(item.judged_by, [unit], school_year).get(unit.pk, [])


@transaction.atomic
def self_check_autofill(
    *, self_check: SelfCheck, user: Any | None, indicator_report: IndicatorReport | None = None
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
            comment=";".join(problems) if problems else "系统按登记数据自动判定达标",
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
    user: Any | None,
) -> SelfCheckResult:
    """Record an item's result. 未达标 opens a rectification task for the unit."""
    if self_check.status == SelfCheckStatus.SUBMITTED:
        raise InspectionRuleError(f"{self_check} 已上报,不能再修改;如需更正请开始新一轮自查")
    if not item.applies_to(self_check.unit):
        raise InspectionRuleError(f"检查项目 {item.code} 不适用于 {self_check.unit}")
    if result == ItemResult.NOT_MET and not comment.strip():
        raise InspectionRuleError(f"{item.code} 未达标,请在说明中写明存在的问题")
    row, created = SelfCheckResult.objects.get_or_create(
        self_check=self_check, item=item, defaults={"result": result, "comment": comment}
    )
    before = None if created else {"result": row.result, "comment": row.comment}
    row.result, row.comment = result, comment
    row.full_clean()
    row.save()
    if result == ItemResult.NOT_MET and not hasattr(row, "rectification"):
        Rectification.objects.create(
            unit=self_check.unit,
            school_year=self_check.school_year,
            item=item,
            self_check_result=row,
            problem=f"{item.code} {item.name}:{comment}"[:1000],
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


@transaction.atomic
def self_check_submit(*, self_check: SelfCheck, summary: str, user: Any | None) -> SelfCheck:
    """Report the self-check to the town office; every applicable item needs a result."""
    self_check = SelfCheck.objects.select_for_update().select_related("unit").get(pk=self_check.pk)
    if self_check.status == SelfCheckStatus.SUBMITTED:
        raise InspectionRuleError(f"{self_check} 已上报")
    done = set(self_check.results.values_list("item_id", flat=True))
    missing = [item.code for item in applicable_items(self_check.unit) if item.pk not in done]
    if missing:
        raise InspectionRuleError(
            f"还有 {len(missing)} 个检查项目没有结果:{'、'.join(missing)};请逐项填写后再上报"
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
    user: Any | None,
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
        uploaded_by=user if getattr(user, "pk", None) else None,
        self_check_result=self_check_result,
        rectification=rectification,
    )
    evidence.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Evidence",
        entity_id=evidence.pk,
        summary=f"{owner} 上传佐证材料:{evidence.title}",
        unit=owner,
    )
    return evidence


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
    user: Any | None,
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
        summary=f"{town} {visited_on} 督查:{'、'.join(u.name for u in unit_list)}",
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
    user: Any | None,
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
        summary=f"{unit} 发现问题({severity}):{description}",
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
            f"整改任务当前为“{locked.get_status_display()}”,不能改为“{to.label}”"
        )
    return locked, locked.status


def _rectification_audit(
    rectification: Rectification, before: str, user: Any | None, what: str
) -> None:
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="Rectification",
        entity_id=rectification.pk,
        summary=f"{rectification.unit} 整改任务{what}:{rectification.problem}",
        before={"status": before},
        after={"status": rectification.status, "comment": rectification.review_comment},
        unit=rectification.unit,
    )


@transaction.atomic
def rectification_submit(
    *, rectification: Rectification, measure: str, evidence_note: str, user: Any | None
) -> Rectification:
    """The unit reports what it did, for the town office to verify."""
    rectification, before = _rectification_move(rectification, RectificationStatus.SUBMITTED)
    if not measure.strip():
        raise InspectionRuleError("请填写整改措施")
    if not evidence_note.strip() and not rectification.evidence.exists():
        raise InspectionRuleError("请上传整改佐证材料或写明佐证说明,再提交验收")
    rectification.measure, rectification.evidence_note = measure, evidence_note
    rectification.status = RectificationStatus.SUBMITTED
    rectification.save()
    _rectification_audit(rectification, before, user, "提交验收")
    return rectification


def _require_reviewer(user: Any | None) -> None:
    # The command line (user None) is the office PC itself; a web user must be a reviewer.
    if user is not None and not can(user, "inspection.review"):
        raise InspectionRuleError("整改验收由镇两基办进行,您的角色不能验收")


@transaction.atomic
def rectification_verify(
    *, rectification: Rectification, comment: str, today: datetime.date, user: Any | None
) -> Rectification:
    """The town office accepts the rectification: the task is closed (销号)."""
    _require_reviewer(user)
    rectification, before = _rectification_move(rectification, RectificationStatus.CLOSED)
    rectification.status, rectification.closed_on = RectificationStatus.CLOSED, today
    rectification.review_comment = comment
    rectification.reviewed_by = user if getattr(user, "pk", None) else None
    rectification.save()
    _rectification_audit(rectification, before, user, "验收销号")
    return rectification


@transaction.atomic
def rectification_reject(
    *, rectification: Rectification, comment: str, user: Any | None
) -> Rectification:
    _require_reviewer(user)
    if not comment.strip():
        raise InspectionRuleError("退回整改时请写明退回理由")
    rectification, before = _rectification_move(rectification, RectificationStatus.REJECTED)
    rectification.status, rectification.review_comment = RectificationStatus.REJECTED, comment
    rectification.reviewed_by = user if getattr(user, "pk", None) else None
    rectification.save()
    _rectification_audit(rectification, before, user, "退回重改")
    return rectification


# --- applications and inspection results ------------------------------------------------------


def _passed(unit_ids: Iterable[int], school_year: SchoolYear, level: str) -> set[int]:
    return set(
        InspectionResult.objects.filter(
            unit_id__in=list(unit_ids), school_year=school_year, level=level, passed=True
        ).values_list("unit_id", flat=True)
    )


def _open_rectifications(unit: Unit, school_year: SchoolYear) -> list[Rectification]:
    return list(
        Rectification.objects.filter(unit=unit, school_year=school_year)
        .exclude(status=RectificationStatus.CLOSED)
        .order_by("deadline", "id")
    )


def application_check(*, unit: Unit, school_year: SchoolYear, level: str) -> list[str]:
    """Why `unit` may not apply for `level` yet (empty: it may)."""
    if level == InspectionLevel.TOWN:
        if not (unit.is_village or unit.is_school):
            return ["镇级检查由村(社区)和学校申请"]
        reasons = []
        if not SelfCheck.objects.filter(
            unit=unit, school_year=school_year, status=SelfCheckStatus.SUBMITTED
        ).exists():
            reasons.append("还没有上报自查报告")
        still_open = _open_rectifications(unit, school_year)
        if still_open:
            listed = ";".join(r.problem[:40] for r in still_open[:5])
            reasons.append(
                f"还有 {len(still_open)} 项整改任务未验收销号({listed}),全部销号后才能申请镇级检查"
            )
        return reasons
    if not unit.is_town:
        return [f"{level}由镇(乡、街道)申请"]
    if level == InspectionLevel.COUNTY:
        units = town_units(unit)
        passed = _passed([u.pk for u in units], school_year, InspectionLevel.TOWN)
        lacking = [u.name for u in units if u.pk not in passed]
        reasons = [f"以下单位尚未通过镇级检查:{'、'.join(lacking)}"] if lacking else []
        if _open_rectifications(unit, school_year):
            reasons.append("镇本级还有未销号的整改任务")
        return reasons
    previous = _PREVIOUS_LEVEL[InspectionLevel(level)]
    if not _passed([unit.pk], school_year, previous):
        return [f"尚未通过{previous},不能申请{level}"]
    return []


@transaction.atomic
def application_submit(
    *,
    unit: Unit,
    school_year: SchoolYear,
    level: InspectionLevel | str,
    applied_on: datetime.date,
    report: str,
    user: Any | None,
) -> InspectionApplication:
    """Apply for the next inspection; refused, with the reasons, while the rule is not met."""
    reasons = application_check(unit=unit, school_year=school_year, level=level)
    if reasons:
        raise InspectionRuleError(f"{unit} 暂不能申请{level}:" + ";".join(reasons))
    try:
        with transaction.atomic():
            application = InspectionApplication.objects.create(
                unit=unit,
                school_year=school_year,
                level=level,
                applied_on=applied_on,
                report=report,
                applied_by=user if getattr(user, "pk", None) else None,
            )
    except IntegrityError:
        raise InspectionRuleError(f"{unit} 已经申请过{school_year}的{level}") from None
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="InspectionApplication",
        entity_id=application.pk,
        summary=f"{unit} 申请{level}",
        unit=unit,
    )
    return application


@transaction.atomic
def inspection_result_record(
    *,
    unit: Unit,
    school_year: SchoolYear,
    level: InspectionLevel | str,
    inspected_on: datetime.date,
    passed: bool,
    summary: str,
    findings: Iterable[tuple[StandardItem | None, str, Severity | str]] = (),
    user: Any | None,
) -> InspectionResult:
    """Record an inspection and its findings (each opens a rectification task). Town inspection
    and county review follow an application; city spot checks and the national inspection
    choose their units themselves."""
    if (
        level in {InspectionLevel.TOWN, InspectionLevel.COUNTY}
        and not InspectionApplication.objects.filter(
            unit=unit, school_year=school_year, level=level
        ).exists()
    ):
        raise InspectionRuleError(f"{unit} 还没有申请{level},请先提交申请")
    result = InspectionResult.objects.create(
        unit=unit,
        school_year=school_year,
        level=level,
        inspected_on=inspected_on,
        passed=passed,
        summary=summary,
    )
    for item, description, severity in findings:
        finding_record(
            unit=unit,
            item=item,
            description=description,
            severity=severity,
            found_on=inspected_on,
            school_year=school_year,
            inspection=result,
            user=user,
        )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="InspectionResult",
        entity_id=result.pk,
        summary=f"{unit} {level}:{'通过' if passed else '未通过'}",
        unit=unit,
    )
    return result
