"""The school conditions the veto items are judged from: school buildings, campus safety hazards,
education funding and teachers."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import HazardStatus, SafetyGrade
from liangji.inspection.models import FundingYear, SafetyHazard, SchoolBuilding, Teacher
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def _require_school(unit: Unit) -> None:
    if not unit.is_school:
        raise InspectionRuleError(f"{unit} 不是学校；校舍、安全隐患和教师只登记在学校名下")


@transaction.atomic
def building_save(
    *,
    school: Unit,
    name: str,
    area: Decimal,
    safety_grade: SafetyGrade | str,
    in_use: bool,
    building: SchoolBuilding | None = None,
    user: Actor | None,
) -> SchoolBuilding:
    _require_school(school)
    before = None
    if building is None:
        building = SchoolBuilding(school=school)
    else:
        before = {"grade": building.safety_grade, "in_use": building.in_use}
    building.name, building.area = name, area
    building.safety_grade, building.in_use = safety_grade, in_use
    building.full_clean()
    building.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        entity="SchoolBuilding",
        entity_id=building.pk,
        summary=f"{school} 校舍「{name}」{safety_grade}级{'在用' if in_use else '停用'}",
        before=before,
        after={"grade": str(safety_grade), "in_use": in_use},
        unit=school,
    )
    return building


@transaction.atomic
def hazard_record(
    *, school: Unit, description: str, found_on: datetime.date, user: Actor | None
) -> SafetyHazard:
    _require_school(school)
    hazard = SafetyHazard(school=school, description=description, found_on=found_on)
    hazard.full_clean()
    hazard.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="SafetyHazard",
        entity_id=hazard.pk,
        summary=f"{school} 登记安全隐患：{description}",
        unit=school,
    )
    return hazard


@transaction.atomic
def hazard_close(
    *, hazard: SafetyHazard, closed_on: datetime.date, user: Actor | None
) -> SafetyHazard:
    hazard = SafetyHazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.status == HazardStatus.CLOSED:
        raise InspectionRuleError("该隐患已整改销号")
    if closed_on < hazard.found_on:
        raise InspectionRuleError(f"整改完成日期 {closed_on} 早于发现日期 {hazard.found_on}")
    hazard.status, hazard.closed_on = HazardStatus.CLOSED, closed_on
    hazard.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="SafetyHazard",
        entity_id=hazard.pk,
        summary=f"{hazard.school} 安全隐患整改完成：{hazard.description}",
        before={"status": HazardStatus.OPEN},
        after={"status": HazardStatus.CLOSED, "closed_on": str(closed_on)},
        unit=hazard.school,
    )
    return hazard


@transaction.atomic
def funding_year_save(
    *,
    unit: Unit,
    year: int,
    appropriation: Decimal,
    recurrent_revenue: Decimal,
    per_pupil_spending: Decimal,
    teacher_avg_salary: Decimal,
    user: Actor | None,
) -> FundingYear:
    """Record (or correct) one year's funding figures of a town or county."""
    if unit.is_school or unit.is_village:
        raise InspectionRuleError(f"{unit} 不是镇或县；教育经费按镇（县）登记")
    if recurrent_revenue <= 0:
        raise InspectionRuleError("经常性财政收入必须大于 0")
    figures = {
        "appropriation": appropriation,
        "recurrent_revenue": recurrent_revenue,
        "per_pupil_spending": per_pupil_spending,
        "teacher_avg_salary": teacher_avg_salary,
    }
    existing = FundingYear.objects.filter(unit=unit, year=year).first()
    before = {key: str(getattr(existing, key)) for key in figures} if existing is not None else None
    funding = existing or FundingYear(unit=unit, year=year)
    for key, value in figures.items():
        setattr(funding, key, value)
    funding.full_clean()
    funding.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        entity="FundingYear",
        entity_id=funding.pk,
        summary=f"{unit} {year} 年教育经费",
        before=before,
        after={key: str(value) for key, value in figures.items()},
        unit=unit,
    )
    return funding


@transaction.atomic
def teacher_save(
    *,
    school: Unit,
    name: str,
    qualification: str,
    qualified: bool,
    teacher: Teacher | None = None,
    user: Actor | None,
) -> Teacher:
    _require_school(school)
    created = teacher is None
    teacher = teacher or Teacher(school=school)
    teacher.name, teacher.qualification, teacher.qualified = name, qualification, qualified
    teacher.full_clean()
    teacher.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        entity="Teacher",
        entity_id=teacher.pk,
        summary=f"{school} 教师 {name}（{qualification}，{'合格' if qualified else '不合格'}）",
        unit=school,
    )
    return teacher
