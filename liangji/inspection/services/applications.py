"""Applications up the chain and inspection results. A village or school may apply for town
inspection only when all its rectification tasks are closed (销号) by the town office, and the
town may apply for county review only when every unit passed town inspection."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from liangji.accounts.models import user_or_none
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import (
    InspectionLevel,
    RectificationStatus,
    SelfCheckStatus,
    Severity,
)
from liangji.inspection.models import (
    InspectionApplication,
    InspectionResult,
    Rectification,
    SelfCheck,
    StandardItem,
)
from liangji.inspection.rules import town_units
from liangji.inspection.services.errors import InspectionRuleError
from liangji.inspection.services.rectification import finding_record
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


# The level that must have been passed before applying for the next one.
_PREVIOUS_LEVEL = {
    InspectionLevel.CITY: InspectionLevel.COUNTY,
    InspectionLevel.NATIONAL: InspectionLevel.CITY,
}

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
            return ["镇级检查由村（社区）和学校申请"]
        reasons = []
        if not SelfCheck.objects.filter(
            unit=unit, school_year=school_year, status=SelfCheckStatus.SUBMITTED
        ).exists():
            reasons.append("还没有上报自查报告")
        still_open = _open_rectifications(unit, school_year)
        if still_open:
            listed = "；".join(r.problem[:40] for r in still_open[:5])
            reasons.append(
                f"还有 {len(still_open)} 项整改任务未验收销号（{listed}），"
                f"全部销号后才能申请镇级检查"
            )
        return reasons
    if not unit.is_town:
        return [f"{level}由镇（乡、街道）申请"]
    if level == InspectionLevel.COUNTY:
        units = town_units(unit)
        passed = _passed([u.pk for u in units], school_year, InspectionLevel.TOWN)
        lacking = [u.name for u in units if u.pk not in passed]
        reasons = [f"以下单位尚未通过镇级检查：{'、'.join(lacking)}"] if lacking else []
        if _open_rectifications(unit, school_year):
            reasons.append("镇本级还有未销号的整改任务")
        return reasons
    previous = _PREVIOUS_LEVEL[InspectionLevel(level)]
    if not _passed([unit.pk], school_year, previous):
        return [f"尚未通过{previous}，不能申请{level}"]
    return []


@transaction.atomic
def application_submit(
    *,
    unit: Unit,
    school_year: SchoolYear,
    level: InspectionLevel | str,
    applied_on: datetime.date,
    report: str,
    user: Actor | None,
) -> InspectionApplication:
    """Apply for the next inspection; refused, with the reasons, while the rule is not met."""
    reasons = application_check(unit=unit, school_year=school_year, level=level)
    if reasons:
        raise InspectionRuleError(f"{unit} 暂不能申请{level}：" + "；".join(reasons))
    try:
        with transaction.atomic():
            application = InspectionApplication.objects.create(
                unit=unit,
                school_year=school_year,
                level=level,
                applied_on=applied_on,
                report=report,
                applied_by=user_or_none(user),
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
    user: Actor | None,
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
        raise InspectionRuleError(f"{unit} 还没有申请{level}，请先提交申请")
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
        summary=f"{unit} {level}：{'通过' if passed else '未通过'}",
        unit=unit,
    )
    return result
