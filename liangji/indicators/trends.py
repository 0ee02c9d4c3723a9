"""Every indicator across all school years on record, for the town or one of its units.

Each year is as shown (indicators.figures): a locked year's approved figures, any other year
computed as of its own reference date from its own records and rolls (domain.md §3) with the
settings in force for that year.
"""

from __future__ import annotations

from liangji.indicators.context import town_for
from liangji.indicators.figures import indicators_reports
from liangji.indicators.report import IndicatorError
from liangji.indicators.values import IndicatorValue
from liangji.registers.models import Unit


def indicator_trends(
    *, town: Unit | None = None, unit_id: int | None = None
) -> dict[str, list[tuple[int, IndicatorValue]]]:
    """code → [(school year, value)], oldest first, for the town or the unit `unit_id`."""
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).select_related("parent").first()
        if unit is None or unit.town is None:
            raise IndicatorError(f"没有编号为 {unit_id} 的村（社区）或学校")
        town = unit.town
    resolved = town_for(town)
    wanted = unit.pk if unit is not None else resolved.pk
    trends: dict[str, list[tuple[int, IndicatorValue]]] = {}
    # Every year in a fixed number of queries (indicators.figures), not a few per year.
    for report in indicators_reports(town=resolved, unit_ids={wanted}, include_groups=False):
        for value in report.units[0].indicators if report.units else []:
            trends.setdefault(value.code, []).append((report.school_year, value))
    return trends
