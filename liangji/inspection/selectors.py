"""Reads of inspection readiness. Every selector takes the acting user and applies the scope of
`liangji.accounts.scope`; `access_*` fetch one row and raise 404 for "missing" and "not yours".

The town's own documents (plan, organisation, supervision visits) are visible to every user of
the town; what belongs to a unit (self-checks, rectifications, registers, agreements) only to
users whose scope holds the unit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from liangji.accounts.models import Actor
from liangji.accounts.scope import scope_filter, scope_for
from liangji.indicators.report import IndicatorError, IndicatorReport
from liangji.indicators.selectors import indicators_report
from liangji.inspection.choices import RectificationStatus, TaskStatus
from liangji.inspection.models import (
    Accountability,
    Agreement,
    Evidence,
    FundingYear,
    InspectionApplication,
    InspectionResult,
    OrgMember,
    PlanPhase,
    PlanTask,
    Rectification,
    SafetyHazard,
    SchoolBuilding,
    SelfCheck,
    StandardAspect,
    StandardItem,
    SupervisionVisit,
    Teacher,
    WorkPlan,
)
from liangji.registers.models import SchoolYear, Unit


def _not_found(what: str) -> Http404:
    return Http404(f"没有找到该{what}，或您无权查看。")


def towns_visible(user: Actor) -> QuerySet[Unit]:
    """The towns whose documents the user may read: those in scope, or the user's own town."""
    scope = scope_for(user)
    ids = set(scope.town_ids)
    unit = getattr(user, "unit", None)
    if not scope.is_empty and unit is not None and unit.town is not None:
        ids.add(unit.town.pk)
    return Unit.objects.filter(pk__in=sorted(ids)).order_by("name")


def town_for_user(user: Actor, town_id: int | str | None = None) -> Unit | None:
    """The town a page shows: the one asked for if visible, else the user's first town."""
    towns = towns_visible(user)
    if town_id not in (None, ""):
        try:
            return towns.get(pk=town_id)
        except (Unit.DoesNotExist, ValueError, TypeError):
            raise _not_found("镇") from None
    return towns.first()


# --- plan and organisation --------------------------------------------------------------------


def plan_get(*, user: Actor, town: Unit, school_year: SchoolYear) -> WorkPlan | None:
    if not towns_visible(user).filter(pk=town.pk).exists():
        raise _not_found("镇")
    tasks = PlanTask.objects.select_related("owner_unit").order_by("order")
    phases = PlanPhase.objects.order_by("order").prefetch_related(Prefetch("tasks", tasks))
    return (
        WorkPlan.objects.filter(town=town, school_year=school_year)
        .prefetch_related(Prefetch("phases", phases))
        .first()
    )


def access_plan_task(user: Actor, pk: int | str) -> PlanTask:
    """A task the user may edit: the town office edits every task of its town, a village or
    school the tasks it owns."""
    qs = scope_filter(
        PlanTask.objects.select_related("phase__plan__town", "owner_unit"), user, "owner_unit_id"
    ) | scope_filter(
        PlanTask.objects.select_related("phase__plan__town", "owner_unit"),
        user,
        "phase__plan__town_id",
    )
    try:
        return qs.distinct().get(pk=pk)
    except (PlanTask.DoesNotExist, ValueError, TypeError):
        raise _not_found("工作任务") from None


def access_plan_phase(user: Actor, pk: int | str) -> PlanPhase:
    """A phase of a plan of a town in the user's scope."""
    qs = scope_filter(PlanPhase.objects.select_related("plan__town"), user, "plan__town_id")
    try:
        return qs.get(pk=pk)
    except (PlanPhase.DoesNotExist, ValueError, TypeError):
        raise _not_found("工作阶段") from None


def tasks_overdue(
    *, user: Actor, today: datetime.date, school_year: SchoolYear | None = None
) -> list[PlanTask]:
    """Tasks whose deadline has passed and that are not done, owned within the user's scope."""
    qs = scope_filter(
        PlanTask.objects.filter(deadline__lt=today).exclude(status=TaskStatus.DONE),
        user,
        "owner_unit_id",
    )
    if school_year is not None:
        qs = qs.filter(phase__plan__school_year=school_year)
    return list(qs.select_related("owner_unit", "phase").order_by("deadline", "id"))


def timeline_data(plan: WorkPlan, today: datetime.date) -> dict[str, Any]:
    """The plan as rows for the gantt-like chart (read by static/inspection/timeline.js)."""
    rows: list[dict[str, Any]] = []
    for phase in plan.phases.all():
        rows.append(
            {
                "label": f"{phase.order}. {phase.name}",
                "start": phase.starts_on.isoformat(),
                "end": phase.ends_on.isoformat(),
                "kind": "phase",
                "percent": None,
                "overdue": False,
            }
        )
        for task in phase.tasks.all():
            rows.append(
                {
                    "label": task.title,
                    "start": task.starts_on.isoformat(),
                    "end": task.deadline.isoformat(),
                    "kind": task.status,
                    "percent": task.percent,
                    "overdue": task.deadline < today and task.status != TaskStatus.DONE,
                }
            )
    return {"today": today.isoformat(), "rows": rows}


def org_members(*, user: Actor, town: Unit) -> list[OrgMember]:
    if not towns_visible(user).filter(pk=town.pk).exists():
        raise _not_found("镇")
    return list(OrgMember.objects.filter(town=town).select_related("unit"))


def access_org_member(user: Actor, pk: int | str) -> OrgMember:
    try:
        return scope_filter(OrgMember.objects.all(), user, "town_id").get(pk=pk)
    except (OrgMember.DoesNotExist, ValueError, TypeError):
        raise _not_found("成员") from None


# --- the standard (public to every signed-in role: it holds no personal data) -----------------


def standard_aspects() -> list[StandardAspect]:
    items = StandardItem.objects.order_by("order")
    return list(StandardAspect.objects.prefetch_related(Prefetch("items", items)))


def access_standard_item(pk: int | str) -> StandardItem:
    try:
        return StandardItem.objects.select_related("aspect").get(pk=pk)
    except (StandardItem.DoesNotExist, ValueError, TypeError):
        raise _not_found("检查项目") from None


# --- registers --------------------------------------------------------------------------------


def buildings_list(*, user: Actor) -> list[SchoolBuilding]:
    qs = scope_filter(SchoolBuilding.objects.select_related("school"), user, "school_id")
    return list(qs)


def hazards_list(*, user: Actor) -> list[SafetyHazard]:
    qs = scope_filter(SafetyHazard.objects.select_related("school"), user, "school_id")
    return list(qs.order_by("status", "-found_on"))


def access_hazard(user: Actor, pk: int | str) -> SafetyHazard:
    qs = scope_filter(SafetyHazard.objects.select_related("school"), user, "school_id")
    try:
        return qs.get(pk=pk)
    except (SafetyHazard.DoesNotExist, ValueError, TypeError):
        raise _not_found("安全隐患") from None


def access_building(user: Actor, pk: int | str) -> SchoolBuilding:
    qs = scope_filter(SchoolBuilding.objects.select_related("school"), user, "school_id")
    try:
        return qs.get(pk=pk)
    except (SchoolBuilding.DoesNotExist, ValueError, TypeError):
        raise _not_found("校舍") from None


def funding_list(*, user: Actor) -> list[FundingYear]:
    return list(scope_filter(FundingYear.objects.select_related("unit"), user, "unit_id"))


def teachers_list(*, user: Actor) -> list[Teacher]:
    return list(scope_filter(Teacher.objects.select_related("school"), user, "school_id"))


# --- self-checks ------------------------------------------------------------------------------


def self_checks_list(*, user: Actor, school_year: SchoolYear) -> list[SelfCheck]:
    qs = scope_filter(
        SelfCheck.objects.filter(school_year=school_year).select_related("unit"), user, "unit_id"
    )
    return list(qs.order_by("unit__name", "round"))


def access_self_check(user: Actor, pk: int | str) -> SelfCheck:
    qs = scope_filter(
        SelfCheck.objects.select_related("unit", "unit__parent", "school_year"), user, "unit_id"
    )
    try:
        return qs.get(pk=pk)
    except (SelfCheck.DoesNotExist, ValueError, TypeError):
        raise _not_found("自查") from None


def self_check_rows(self_check: SelfCheck) -> list[dict[str, Any]]:
    """Every applicable item of the standard with this self-check's result (or none yet)."""
    results = {
        r.item_id: r
        for r in self_check.results.prefetch_related("evidence").select_related("rectification")
    }
    rows: list[dict[str, Any]] = []
    for aspect in standard_aspects():
        for item in aspect.items.all():
            if item.active and item.applies_to(self_check.unit):
                rows.append({"aspect": aspect, "item": item, "result": results.get(item.pk)})
    return rows


def access_evidence(user: Actor, pk: int | str) -> Evidence:
    """An attachment of a self-check result or a rectification of a unit in the user's scope."""
    ids = sorted(scope_for(user).unit_ids)
    qs = Evidence.objects.filter(
        Q(self_check_result__self_check__unit_id__in=ids) | Q(rectification__unit_id__in=ids)
    ).select_related("self_check_result__self_check__unit", "rectification__unit")
    try:
        return qs.get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise _not_found("佐证材料") from None


# --- supervision, findings, inspections -------------------------------------------------------


def visits_list(*, user: Actor, school_year: SchoolYear) -> list[SupervisionVisit]:
    """Visits of the user's towns; a village or school sees only the visits that came to it."""
    scope = scope_for(user)
    qs = SupervisionVisit.objects.filter(school_year=school_year)
    if scope.town_ids:
        qs = qs.filter(town_id__in=sorted(scope.town_ids))
    else:
        qs = qs.filter(units__in=sorted(scope.unit_ids)).distinct()
    return list(qs.prefetch_related("units", "findings__unit", "findings__item"))


def access_visit(user: Actor, pk: int | str) -> SupervisionVisit:
    """A visit the user's list shows (`visits_list`): of the user's towns, or one that came to
    the user's village or school."""
    scope = scope_for(user)
    qs = SupervisionVisit.objects.select_related("town", "school_year")
    if scope.town_ids:
        qs = qs.filter(town_id__in=sorted(scope.town_ids))
    else:
        qs = qs.filter(units__in=sorted(scope.unit_ids)).distinct()
    try:
        return qs.get(pk=pk)
    except (SupervisionVisit.DoesNotExist, ValueError, TypeError):
        raise _not_found("督查记录") from None


def applications_list(*, user: Actor, school_year: SchoolYear) -> list[InspectionApplication]:
    qs = InspectionApplication.objects.filter(school_year=school_year).select_related("unit")
    return list(scope_filter(qs, user, "unit_id"))


def inspection_results_list(*, user: Actor, school_year: SchoolYear) -> list[InspectionResult]:
    qs = InspectionResult.objects.filter(school_year=school_year).select_related("unit")
    return list(scope_filter(qs, user, "unit_id").prefetch_related("findings__item"))


# --- rectification ----------------------------------------------------------------------------


def rectifications_list(
    *, user: Actor, school_year: SchoolYear, status: str | None = None
) -> list[Rectification]:
    qs = scope_filter(
        Rectification.objects.filter(school_year=school_year).select_related("unit", "item"),
        user,
        "unit_id",
    )
    if status:
        qs = qs.filter(status=status)
    return list(qs.prefetch_related("evidence").order_by("deadline", "id"))


def rectifications_overdue(
    *, user: Actor, today: datetime.date, school_year: SchoolYear | None = None
) -> list[Rectification]:
    qs = scope_filter(
        Rectification.objects.filter(deadline__lt=today).exclude(status=RectificationStatus.CLOSED),
        user,
        "unit_id",
    )
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return list(qs.select_related("unit", "item").order_by("deadline", "id"))


def access_rectification(user: Actor, pk: int | str) -> Rectification:
    qs = scope_filter(Rectification.objects.select_related("unit", "item"), user, "unit_id")
    try:
        return qs.get(pk=pk)
    except (Rectification.DoesNotExist, ValueError, TypeError):
        raise _not_found("整改任务") from None


# --- agreements -------------------------------------------------------------------------------


def agreements_list(*, user: Actor, school_year: SchoolYear) -> list[Agreement]:
    qs = Agreement.objects.filter(school_year=school_year).select_related("unit", "assessment")
    return list(scope_filter(qs, user, "unit_id").order_by("unit__kind", "unit__name"))


def access_agreement(user: Actor, pk: int | str) -> Agreement:
    qs = scope_filter(Agreement.objects.select_related("unit", "school_year"), user, "unit_id")
    try:
        return qs.get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise _not_found("目标责任书") from None


def accountabilities_list(*, user: Actor, school_year: SchoolYear) -> list[Accountability]:
    qs = Accountability.objects.filter(school_year=school_year).select_related("unit")
    return list(scope_filter(qs, user, "unit_id"))


# --- indicators -------------------------------------------------------------------------------


def indicator_report_for(
    *, town: Unit, school_year: SchoolYear, unit_ids: Iterable[int] | None
) -> IndicatorReport | None:
    """The indicators for the readiness rules; None (judged "not computed") when the engine
    cannot answer, e.g. before any register was imported for the year."""
    try:
        return indicators_report(
            school_year=school_year.year,
            town=town,
            unit_ids=None if unit_ids is None else set(unit_ids),
            include_groups=False,
        )
    except IndicatorError:
        return None
