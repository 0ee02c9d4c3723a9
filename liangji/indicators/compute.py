"""Computing the indicator report: one grouped query per basis, whatever the number of units."""

from __future__ import annotations

from collections.abc import Collection

from liangji.indicators.context import Context, context_for
from liangji.indicators.definitions import DEFINITIONS, IndicatorDefinition, UnitScope
from liangji.indicators.engine import (
    Counts,
    counts_by_school,
    counts_by_village_and_group,
)
from liangji.indicators.report import IndicatorReport, UnitIndicators
from liangji.indicators.values import IndicatorValue, indicator_value
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS, PriorityGroup
from liangji.registers.models import Unit


def _values(
    ctx: Context, scope: UnitScope, counts: dict[str, tuple[int, int]]
) -> list[IndicatorValue]:
    settings = ctx.settings
    return [
        indicator_value(
            code=d.code,
            name=d.name,
            direction=d.direction,
            numerator=counts.get(d.code, (0, 0))[0],
            denominator=counts.get(d.code, (0, 0))[1],
            target=settings.target(d.code),
            decimals=settings.rate_decimals,
            rounding=settings.rate_rounding,
        )
        for d in DEFINITIONS
        if scope in d.scopes
    ]


def _sum(parts: Counts) -> dict[str, tuple[int, int]]:
    total: dict[str, tuple[int, int]] = {}
    for counts in parts.values():
        for code, (numerator, denominator) in counts.items():
            n, d = total.get(code, (0, 0))
            total[code] = (n + numerator, d + denominator)
    return total


def _visible(unit_ids: Collection[int] | None, unit_id: int) -> bool:
    return unit_ids is None or unit_id in unit_ids


def indicators_compute(
    *,
    school_year: int,
    town: Unit | None = None,
    unit_ids: Collection[int] | None = None,
    include_groups: bool = True,
    definitions: tuple[IndicatorDefinition, ...] = DEFINITIONS,
) -> IndicatorReport:
    """Every indicator for the town, its villages, its schools and its priority groups.

    The number of queries does not depend on the number of units: one grouped query per basis.
    """
    ctx = context_for(school_year=school_year, town=town)
    town_id = ctx.town.pk
    # Groups are town-wide: only a caller who sees the whole town sees them.
    with_groups = include_groups and _visible(unit_ids, town_id)
    by_village, by_group = counts_by_village_and_group(
        definitions=definitions, terms=ctx.terms, town_id=town_id, groups=with_groups
    )
    by_school = counts_by_school(definitions=definitions, terms=ctx.terms, town_id=town_id)
    units: list[UnitIndicators] = []
    if _visible(unit_ids, town_id):
        town_counts = {**_sum(by_village), **_sum(by_school)}
        units.append(
            UnitIndicators(
                town_id, ctx.town.name, "town", _values(ctx, UnitScope.TOWN, town_counts)
            )
        )
    children = list(
        Unit.objects.filter(parent=ctx.town, kind__in=VILLAGE_KINDS | SCHOOL_KINDS).order_by("name")
    )
    for child in children:
        if child.kind in VILLAGE_KINDS and _visible(unit_ids, child.pk):
            values = _values(ctx, UnitScope.VILLAGE, by_village.get(child.pk, {}))
            units.append(UnitIndicators(child.pk, child.name, "village", values))
    for child in children:
        if child.kind in SCHOOL_KINDS and _visible(unit_ids, child.pk):
            values = _values(ctx, UnitScope.SCHOOL, by_school.get(child.pk, {}))
            units.append(UnitIndicators(child.pk, child.name, "school", values))
    if with_groups:
        for group in PriorityGroup:
            if group.value in by_group:
                values = _values(ctx, UnitScope.GROUP, by_group[group.value])
                units.append(UnitIndicators(None, group.label, "group", values))
    return IndicatorReport(
        school_year=ctx.school_year.year,
        reference_date=ctx.terms.reference,
        settings=ctx.settings.as_dict(),
        units=units,
    )
