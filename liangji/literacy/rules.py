"""Who the literacy work counts, written once over the indicator engine's `Terms`.

The ledger's people are the population of `literacy_15_50` (registered, alive, aged 15–50 on
the reference date, minus those who lost the ability to learn) whose level is 文盲 or 半文盲:
the definition is asked for its own SQL, so the ledger and the indicator cannot disagree on who
counts. The unit standard of 《扫除文盲工作条例》 (born after 1 Oct 1949, aged 15 or over) is
declared here in the same terms. Aliases as in the engine: `r` person record, `p` person.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_CEILING, Decimal

from django.db import connection

from liangji.indicators.definitions import Direction, Terms, birth_bounds, definition_get
from liangji.indicators.engine import table_names
from liangji.indicators.values import IndicatorValue, indicator_value, rate_value
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit
from liangji.registers.town_settings import TownSettings

# 《扫除文盲工作条例》: the unit standard counts people born after the founding of the PRC.
BORN_AFTER = datetime.date(1949, 10, 1)

UNIT_LITERACY_CODE = "unit_literacy"
UNIT_LITERACY_NAME = "扫盲单位标准：非文盲率"
RELAPSE_CODE = "relapse_rate"
RELAPSE_NAME = "复盲率"


def ledger_population(terms: Terms) -> str:
    """The 15–50 population of the literacy indicator, exactly as the indicator counts it."""
    return definition_get("literacy_15_50").population_sql(terms)


def ledger_condition(terms: Terms) -> str:
    """扫盲对象: the indicator's population who are 文盲 or 半文盲. The level comes first: it is
    one column of the record, false for nearly everyone, and SQLite tests the terms of an AND in
    the order written, so the others are evaluated for the few it lets through."""
    return f"({terms.illiterate} AND {ledger_population(terms)})"


def lost_ability_condition(terms: Terms) -> str:
    """Listed apart: 15–50, registered and illiterate, but judged unable to learn."""
    return (
        f"({terms.registered} AND {terms.aged((15, 50))} AND {terms.lost_learning_ability}"
        f" AND {terms.illiterate})"
    )


def unit_population(terms: Terms) -> str:
    """The unit standard's population: registered, born after 1949-10-01, aged 15 or over on
    the reference date, minus those who lost the ability to learn."""
    _, born_by = birth_bounds(terms.reference, 15, 15)
    return (
        f"({terms.registered} AND p.birth_date > '{BORN_AFTER.isoformat()}'"
        f" AND p.birth_date <= '{born_by.isoformat()}' AND NOT {terms.lost_learning_ability})"
    )


def unit_numerator(terms: Terms) -> str:
    return f"({unit_population(terms)} AND NOT {terms.illiterate})"


def unit_shortfall_condition(terms: Terms) -> str:
    return f"({unit_population(terms)} AND {terms.illiterate})"


def records_from_sql(joins: str = "", *, village_names: bool = True) -> str:
    """FROM … WHERE over the person records of one year in one town's villages; no roll facts,
    which literacy never reads. Parameters: school year id, town id. The villages are a list
    (IN), not a join condition, so that the (school year, village) index finds the town's rows
    instead of a pass over the whole county."""
    names = table_names()
    kinds = f"'{UnitKind.VILLAGE.value}', '{UnitKind.COMMUNITY.value}'"
    village_join = f"JOIN {names['unit']} v ON v.id = r.village_id" if village_names else ""
    return f"""
        FROM {names["person_record"]} r
          JOIN {names["person"]} p ON p.id = r.person_id
          {village_join}
          {joins}
        WHERE r.school_year_id = %s
          AND r.village_id IN (SELECT id FROM {names["unit"]}
                               WHERE parent_id = %s AND kind IN ({kinds}))"""


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


# -- urban or rural ------------------------------------------------------------------------


def is_urban(unit: Unit, settings: TownSettings) -> bool:
    """社区 are urban, 村 rural; a town by its setting, else 街道 urban, 镇/乡 rural (domain §4)."""
    if unit.kind == UnitKind.COMMUNITY:
        return True
    if unit.kind == UnitKind.VILLAGE:
        return False
    area = settings.literacy_town_area
    if area:
        return area == "urban"
    return unit.kind == UnitKind.SUBDISTRICT


def characters_standard(village: Unit, settings: TownSettings) -> int:
    return settings.literacy_characters(urban=is_urban(village, settings))


# -- the two figures of the unit standard --------------------------------------------------


def unit_literacy_value(
    *, numerator: int, denominator: int, urban: bool, settings: TownSettings
) -> IndicatorValue:
    return indicator_value(
        code=UNIT_LITERACY_CODE,
        name=UNIT_LITERACY_NAME,
        direction=Direction.AT_LEAST,
        numerator=numerator,
        denominator=denominator,
        target=settings.literacy_unit_target(urban=urban),
        decimals=settings.rate_decimals,
        rounding=settings.rate_rounding,
    )


def relapse_value(*, relapsed: int, retested: int, settings: TownSettings) -> IndicatorValue:
    """复盲率 = relapsed ÷ graduates re-tested; met when strictly under the target ("低于 5 %",
    domain §4), decided on the exact fraction like every indicator."""
    target = settings.literacy_relapse_target
    met: bool | None = None
    shortfall = 0
    if retested:
        met = Decimal(relapsed) * 100 < target * retested
        # Fewest relapses that would have to be undone for the rate to fall under the target.
        allowed = max(int((target * retested / 100).to_integral_value(ROUND_CEILING)) - 1, 0)
        shortfall = max(0, relapsed - allowed)
    return IndicatorValue(
        code=RELAPSE_CODE,
        name=RELAPSE_NAME,
        numerator=relapsed,
        denominator=retested,
        value=rate_value(
            numerator=relapsed,
            denominator=retested,
            decimals=settings.rate_decimals,
            rounding=settings.rate_rounding,
        ),
        target=target,
        met=met,
        direction="<",
        shortfall=shortfall,
    )
