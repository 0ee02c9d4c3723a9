"""The 15–50 非文盲率 of a town over every school year on record, for the overview's chart.

Each year is counted by the indicator engine with the one definition, as of that year's own
reference date and records, so the chart and `liangji indicators` always agree.
"""

from __future__ import annotations

from typing import Any

from liangji.indicators.context import context_for
from liangji.indicators.definitions import definition_get
from liangji.indicators.engine import counts_by_village_and_group
from liangji.indicators.values import indicator_value
from liangji.registers.models import SchoolYear, Unit

CODE = "literacy_15_50"


def literacy_trend(*, town: Unit) -> dict[str, Any]:
    definition = definition_get(CODE)
    years: list[int] = []
    values: list[float | None] = []
    target = 0.0
    for year in SchoolYear.objects.order_by("year").values_list("year", flat=True):
        ctx = context_for(school_year=year, town=town)
        by_village, _ = counts_by_village_and_group(
            definitions=(definition,), terms=ctx.terms, town_id=town.pk, groups=False
        )
        numerator = sum(c[CODE][0] for c in by_village.values())
        denominator = sum(c[CODE][1] for c in by_village.values())
        value = indicator_value(
            code=CODE, name=definition.name, direction=definition.direction,
            numerator=numerator, denominator=denominator, target=ctx.settings.target(CODE),
            decimals=ctx.settings.rate_decimals, rounding=ctx.settings.rate_rounding,
        )  # fmt: skip
        years.append(year)
        values.append(None if value.value is None else float(value.value))
        target = float(value.target)
    return {
        "years": years,
        "indicators": [
            {"code": CODE, "name": definition.name, "values": values, "target": target,
             "direction": definition.direction.value}
        ],
    }  # fmt: skip
