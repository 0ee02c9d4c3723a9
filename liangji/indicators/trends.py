"""Every indicator across all school years on record, for the town or one of its units.

Each year is computed as of its own reference date from its own records and rolls, so a past
year's figures are reproduced from its history (domain.md §3); the town's settings in force now
apply to every year, as they are not kept per year.
"""

from __future__ import annotations

from liangji.indicators.compute import indicators_compute
from liangji.indicators.context import town_for
from liangji.indicators.report import IndicatorError
from liangji.indicators.values import IndicatorValue
from liangji.registers.models import SchoolYear, Unit


def indicator_trends(
    *, town: Unit | None = None, unit_id: int | None = None
) -> dict[str, list[tuple[int, IndicatorValue]]]:
    """code → [(school year, value)], oldest first, for the town or the unit `unit_id`."""
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).select_related("parent").first()
        if unit is None or unit.town is None:
            raise IndicatorError(f"没有编号为 {unit_id} 的村(社区)或学校")
        town = unit.town
    resolved = town_for(town)
    wanted = unit.pk if unit is not None else resolved.pk
    trends: dict[str, list[tuple[int, IndicatorValue]]] = {}
    for year in SchoolYear.objects.order_by("year").values_list("year", flat=True):
        report = indicators_compute(
            school_year=year, town=resolved, unit_ids={wanted}, include_groups=False
        )
        for value in report.units[0].indicators if report.units else []:
            trends.setdefault(value.code, []).append((year, value))
    return trends
