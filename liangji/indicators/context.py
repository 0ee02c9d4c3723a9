"""Resolving what a request is about: the town, the school year, and the settings in force."""

from __future__ import annotations

from dataclasses import dataclass

from liangji.indicators.definitions import Terms
from liangji.indicators.report import IndicatorError
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.services import town_settings_get
from liangji.registers.town_settings import TownSettings


@dataclass(frozen=True)
class Context:
    town: Unit
    school_year: SchoolYear
    settings: TownSettings
    terms: Terms


def town_for(town: Unit | None) -> Unit:
    if town is not None:
        return town
    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name")[:2])
    if not towns:
        raise IndicatorError("数据库中还没有镇；请先导入工作簿（单位表）或运行 liangji demo")
    if len(towns) > 1:
        names = "、".join(Unit.objects.filter(kind__in=TOWN_KINDS).values_list("name", flat=True))
        raise IndicatorError(f"有多个镇，请指定其中一个：{names}")
    return towns[0]


def school_year_for(year: int) -> SchoolYear:
    school_year = SchoolYear.objects.filter(year=year).first()
    if school_year is None:
        known = [str(y) for y in SchoolYear.objects.values_list("year", flat=True)]
        choices = "、".join(known) if known else "（还没有任何学年，请先导入工作簿）"
        raise IndicatorError(f"没有 {year} 学年的数据；已有的学年：{choices}")
    return school_year


def context_for(*, school_year: int, town: Unit | None) -> Context:
    resolved = town_for(town)
    year = school_year_for(school_year)
    settings = town_settings_get(resolved, year)
    terms = Terms(settings=settings, school_year_id=year.pk, year=year.year)
    return Context(town=resolved, school_year=year, settings=settings, terms=terms)


def unit_by_name(town: Unit, name: str | None) -> Unit:
    """The town itself, or one of its villages or schools, by name; else the valid names."""
    if not name or name == town.name:
        return town
    unit = Unit.objects.filter(parent=town, name=name).first()
    if unit is None:
        names = "、".join(
            Unit.objects.filter(parent=town).order_by("kind", "name").values_list("name", flat=True)
        )
        raise IndicatorError(
            f"{town.name} 没有名为 {name} 的村（社区）或学校；可用的：{town.name}、{names}"
        )
    return unit
