"""The literacy judge of the inspection standard (item L05, 基本扫除文盲单位标准), registered in
`liangji.standards` from AppConfig.ready(): the unit standard per town and village, in words."""

from __future__ import annotations

from collections.abc import Iterable

from liangji.indicators.context import context_for
from liangji.literacy.selectors import UnitStandard, standard_compute
from liangji.registers.models import SchoolYear, Unit
from liangji.standards import judge_register


def _problems(unit: UnitStandard) -> list[str]:
    problems = []
    literate, relapse = unit.unit_literacy, unit.relapse_rate
    if literate is not None and literate.met is False:
        problems.append(
            f"非文盲率 {literate.value}%（{literate.numerator}/{literate.denominator}），"
            f"未达到{'城镇' if unit.urban else '农村'}标准 {literate.target}%，"
            f"差 {literate.shortfall} 人"
        )
    if relapse is not None and relapse.met is False:
        problems.append(
            f"复盲率 {relapse.value}%（{relapse.numerator}/{relapse.denominator}），"
            f"未低于 {relapse.target}%"
        )
    return problems


def unit_standard_problems(
    *, units: Iterable[Unit], school_year: SchoolYear
) -> dict[int, list[str]]:
    """Per town or village id, the shortfalls of the unit standard (empty: met)."""
    wanted = list(units)
    # By id, not `unit.town`: that would fetch each village's parent, one query per village.
    town_ids = {u.pk if u.is_town else u.parent_id for u in wanted}
    result: dict[int, list[str]] = {u.pk: [] for u in wanted}
    for town in Unit.objects.filter(pk__in=[pk for pk in town_ids if pk is not None]):
        ctx = context_for(school_year=school_year.year, town=town)
        for standard in standard_compute(ctx=ctx, village_ids=None, with_ledger=False):
            if standard.unit_id in result:
                result[standard.unit_id] = _problems(standard)
    return result


def judges_register() -> None:
    judge_register("literacy.unit_standard", unit_standard_problems)
