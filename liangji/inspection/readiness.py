"""Readiness: for the town and each of its units, ready for inspection or not, and why.

A unit is not ready while any one-vote veto item fails (an indicator below target, a D-grade
building in use, an open campus hazard, funding that did not grow) — those reasons come first —
or while other automatic items fail, its self-check is not reported, or rectification tasks are
still open. The town is not ready while any of its units is not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from liangji.accounts.scope import scope_for
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.choices import JudgedBy, RectificationStatus, SelfCheckStatus
from liangji.inspection.models import Rectification, SelfCheck, StandardItem
from liangji.inspection.rules import town_units
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


@dataclass(frozen=True)
class Reason:
    text: str
    veto: bool
    item_code: str = ""


@dataclass
class UnitReadiness:
    unit: Unit
    reasons: list[Reason] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons

    @property
    def vetoed(self) -> bool:
        return any(reason.veto for reason in self.reasons)

    def sorted_reasons(self) -> list[Reason]:
        return sorted(self.reasons, key=lambda reason: not reason.veto)


@dataclass
class TownReadiness:
    town: UnitReadiness | None
    units: list[UnitReadiness]

    @property
    def ready_count(self) -> int:
        return sum(1 for unit in self.units if unit.ready)


def _item_problems(
    item: StandardItem,
    units: list[Unit],
    school_year: SchoolYear,
    outcomes: dict[int, list[rules.IndicatorOutcome]] | None,
) -> dict[int, list[str]]:
    applicable = [u for u in units if item.applies_to(u)]
    if item.judged_by == JudgedBy.INDICATORS:
        if outcomes is None:
            return {u.pk: ["普及程度指标尚未计算，无法判定"] for u in applicable}
        return {
            u.pk: rules.indicator_problems(outcomes.get(u.pk, []), item.indicator_code_list)
            for u in applicable
        }
    # Buildings, hazards and teachers are judged at the schools; the town inherits them
    # through "units not ready" rather than repeating every school's problem.
    return rules.register_problems(item.judged_by, applicable, school_year)


def _unit_readiness(
    units: list[Unit],
    school_year: SchoolYear,
    report: IndicatorReport | None,
    today: datetime.date,
) -> dict[int, UnitReadiness]:
    readiness = {u.pk: UnitReadiness(unit=u) for u in units}
    outcomes = rules.universalisation_results(report) if report is not None else None
    automatic = StandardItem.objects.filter(active=True).exclude(judged_by=JudgedBy.SELF_CHECK)
    for item in automatic.order_by("-veto", "aspect__order", "order"):
        for unit_id, problems in _item_problems(item, units, school_year, outcomes).items():
            for problem in problems:
                # An indicator's problem already names the indicator; others need the item.
                text = (
                    problem if item.judged_by == JudgedBy.INDICATORS else f"{item.name}：{problem}"
                )
                readiness[unit_id].reasons.append(
                    Reason(text=text, veto=item.veto, item_code=item.code)
                )
    ids = [u.pk for u in units]
    reported = set(
        SelfCheck.objects.filter(
            unit_id__in=ids, school_year=school_year, status=SelfCheckStatus.SUBMITTED
        ).values_list("unit_id", flat=True)
    )
    open_tasks = (
        Rectification.objects.filter(unit_id__in=ids, school_year=school_year)
        .exclude(status=RectificationStatus.CLOSED)
        .values("unit_id")
        .annotate(total=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    )
    for unit in units:
        if unit.pk not in reported:
            readiness[unit.pk].reasons.append(Reason(text="自查报告尚未上报", veto=False))
    for row in open_tasks:
        overdue = f"，其中 {row['overdue']} 项已超期" if row["overdue"] else ""
        readiness[row["unit_id"]].reasons.append(
            Reason(text=f"{row['total']} 项整改任务未销号{overdue}", veto=False)
        )
    return readiness


def readiness_compute(
    *,
    user: Actor | None,
    town: Unit,
    school_year: SchoolYear,
    report: IndicatorReport | None,
    today: datetime.date,
) -> TownReadiness | None:
    """The readiness of the town and of every unit of it the user may see (None: no access).

    The town's row is shown only to users whose scope holds the town: a school sees itself.
    `user=None` is the command line of the office PC, which sees its whole town.
    """
    units = town_units(town)
    visible_ids = (
        frozenset({town.pk, *(u.pk for u in units)}) if user is None else scope_for(user).unit_ids
    )
    if town.pk not in visible_ids and not any(u.pk in visible_ids for u in units):
        return None
    readiness = _unit_readiness([town, *units], school_year, report, today)
    town_row = readiness[town.pk]
    lagging = [readiness[u.pk] for u in units if not readiness[u.pk].ready]
    vetoed = [r.unit.name for r in lagging if r.vetoed]
    if vetoed:
        town_row.reasons.append(
            Reason(text=f"下属单位存在一票否决问题：{'、'.join(vetoed)}", veto=True)
        )
    others = [r.unit.name for r in lagging if not r.vetoed]
    if others:
        town_row.reasons.append(
            Reason(text=f"下属单位尚未达到迎检条件：{'、'.join(others)}", veto=False)
        )
    return TownReadiness(
        town=town_row if town.pk in visible_ids else None,
        units=[readiness[u.pk] for u in units if u.pk in visible_ids],
    )
