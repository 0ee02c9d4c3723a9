"""目标责任书: signing, the year-end assessment (weights and bands in `choices`) and 问责."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.choices import (
    ASSESSMENT_BANDS,
    ASSESSMENT_WEIGHTS,
    AccountabilityMeasure,
    RectificationStatus,
    TaskStatus,
)
from liangji.inspection.models import (
    Accountability,
    Agreement,
    Assessment,
    PlanTask,
    Rectification,
)
from liangji.inspection.readiness import readiness_compute
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


@transaction.atomic
def agreement_sign(
    *,
    unit: Unit,
    school_year: SchoolYear,
    signed_on: datetime.date,
    town_signatory: str,
    unit_signatory: str,
    indicator_codes: list[str],
    tasks: str,
    user: Actor | None,
) -> Agreement:
    if not (unit.is_village or unit.is_school):
        raise InspectionRuleError(f"目标责任书由镇与村（社区）、学校签订，{unit} 不是村或学校")
    if not town_signatory.strip() or not unit_signatory.strip():
        raise InspectionRuleError("请填写镇政府和责任单位的签字人")
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                unit=unit,
                school_year=school_year,
                signed_on=signed_on,
                town_signatory=town_signatory,
                unit_signatory=unit_signatory,
                indicator_codes=",".join(indicator_codes),
                tasks=tasks,
            )
    except IntegrityError:
        raise InspectionRuleError(f"{unit} {school_year} 已签订目标责任书") from None
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Agreement",
        entity_id=agreement.pk,
        summary=f"签订目标责任书：{unit}（{school_year}）",
        unit=unit,
    )
    return agreement


@dataclass(frozen=True)
class Part:
    """One part of the assessment: done out of total, worth `weight` points."""

    done: int
    total: int
    weight: Decimal

    @property
    def points(self) -> Decimal:
        # Nothing to do is nothing failed: a part with no items earns its full weight.
        return self.weight if self.total == 0 else self.weight * self.done / self.total

    def as_json(self) -> dict[str, object]:
        return {
            "done": self.done,
            "total": self.total,
            "weight": str(self.weight),
            "points": str(_two(self.points)),
        }


def _two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assessment_parts(*, agreement: Agreement, indicator_report: IndicatorReport) -> dict[str, Part]:
    """Indicators of the agreement met, plan tasks of the unit done, rectifications closed."""
    outcomes = rules.universalisation_results(indicator_report).get(agreement.unit_id, [])
    wanted = set(agreement.indicator_code_list)
    judged = [o for o in outcomes if o.code in wanted and o.met is not None]
    tasks = PlanTask.objects.filter(
        owner_unit=agreement.unit, phase__plan__school_year=agreement.school_year
    )
    rectifications = Rectification.objects.filter(
        unit=agreement.unit, school_year=agreement.school_year
    )
    return {
        "indicators": Part(
            done=sum(1 for o in judged if o.met),
            total=len(judged),
            weight=ASSESSMENT_WEIGHTS["indicators"],
        ),
        "tasks": Part(
            done=tasks.filter(status=TaskStatus.DONE).count(),
            total=tasks.count(),
            weight=ASSESSMENT_WEIGHTS["tasks"],
        ),
        "rectifications": Part(
            done=rectifications.filter(status=RectificationStatus.CLOSED).count(),
            total=rectifications.count(),
            weight=ASSESSMENT_WEIGHTS["rectifications"],
        ),
    }


def assessment_band(score: Decimal) -> tuple[str, str]:
    for floor, band, consequence in ASSESSMENT_BANDS:
        if score >= floor:
            return band, consequence
    raise ValueError(f"score {score} below every band")


def assessment_vetoes(
    *, agreement: Agreement, indicator_report: IndicatorReport, today: datetime.date
) -> list[str]:
    """The failed one-vote veto items of the agreement's unit (for a town: of its units too),
    as the readiness page words them."""
    town = agreement.unit.town
    if town is None:
        return []
    readiness = readiness_compute(
        user=None,
        town=town,
        school_year=agreement.school_year,
        report=indicator_report,
        today=today,
    )
    assert readiness is not None  # the command line's view holds the whole town
    rows = [readiness.town, *readiness.units]
    row = next((r for r in rows if r is not None and r.unit.pk == agreement.unit_id), None)
    return [reason.text for reason in row.reasons if reason.veto] if row else []


@transaction.atomic
def agreement_assess(
    *,
    agreement: Agreement,
    indicator_report: IndicatorReport,
    assessed_on: datetime.date,
    user: Actor | None,
) -> Assessment:
    """Compute (or recompute) the year-end score, its band and the reward or penalty.

    A failed one-vote veto item caps the band at 不合格 whatever the score (domain.md §6): the
    score is kept to show how far the unit got, the veto is named in the consequence."""
    parts = assessment_parts(agreement=agreement, indicator_report=indicator_report)
    score = _two(sum((part.points for part in parts.values()), Decimal(0)))
    band, consequence = assessment_band(score)
    vetoes = assessment_vetoes(
        agreement=agreement, indicator_report=indicator_report, today=assessed_on
    )
    if vetoes:
        band, penalty = assessment_band(Decimal(0))
        consequence = f"一票否决（{'；'.join(vetoes)}）：{penalty}"[:200]
    breakdown: dict[str, Any] = {key: part.as_json() for key, part in parts.items()}
    if vetoes:
        breakdown["vetoes"] = vetoes
    assessment, _ = Assessment.objects.update_or_create(
        agreement=agreement,
        defaults={
            "assessed_on": assessed_on,
            "score": score,
            "band": band,
            "consequence": consequence,
            "breakdown": breakdown,
        },
    )
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="Assessment",
        entity_id=assessment.pk,
        summary=f"{agreement.unit} 年终考核 {score} 分（{band}）",
        after={"score": str(score), "band": band},
        unit=agreement.unit,
    )
    return assessment


@transaction.atomic
def accountability_record(
    *,
    unit: Unit,
    school_year: SchoolYear,
    decided_on: datetime.date,
    person: str,
    reason: str,
    measure: AccountabilityMeasure | str,
    user: Actor | None,
) -> Accountability:
    if not reason.strip() or not person.strip():
        raise InspectionRuleError("请写明被问责人和问责事由")
    record = Accountability(
        unit=unit,
        school_year=school_year,
        decided_on=decided_on,
        person=person,
        reason=reason,
        measure=measure,
    )
    record.full_clean()
    record.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Accountability",
        entity_id=record.pk,
        summary=f"问责 {unit} {person}：{measure}",
        unit=unit,
    )
    return record
