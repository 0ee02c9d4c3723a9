"""The dashboard: the indicators of the user's unit against their targets, the comparison of
villages and schools, the trend across school years, and what is overdue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from liangji.accounts.models import Actor
from liangji.accounts.scope import scope_for
from liangji.indicators.report import IndicatorError, IndicatorReport, UnitIndicators
from liangji.indicators.selectors import indicators_report
from liangji.overdue import OverdueItem
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.selectors import RegisterCounts, register_counts
from liangji.registers.versions import data_version_latest, kept
from liangji.web.dashboard import overdue_items

# A built dashboard is kept per user, school year, town and data version (dashboard_key),
# so its figures and counts are never stale; only the overdue work of other apps (控辍保学 visits,
# 整改 deadlines), which does not move a data version, may lag by up to this long.
BOARD_KEEP_SECONDS = 60

# The trend covers the latest school years up to the one shown (each year one kept report).
TREND_YEARS = 5


@dataclass
class Dashboard:
    school_year: SchoolYear | None
    town: Unit | None
    towns: list[Unit]
    counts: RegisterCounts
    focus: UnitIndicators | None = None
    error: str = ""
    reference_date: datetime.date | None = None
    chart: dict[str, Any] = field(default_factory=dict)
    overdue: list[OverdueItem] = field(default_factory=list)

    @property
    def tally(self) -> dict[str, int]:
        """How many indicators of the focus unit are met, missed, or have no one to count."""
        values = self.focus.indicators if self.focus is not None else []
        return {
            "met": sum(1 for v in values if v.met is True),
            "missed": sum(1 for v in values if v.met is False),
            "empty": sum(1 for v in values if v.met is None),
        }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _towns_of(user: Actor) -> list[Unit]:
    scope = scope_for(user)
    if scope.town_ids:
        return list(Unit.objects.filter(pk__in=sorted(scope.town_ids)).order_by("name"))
    unit = getattr(user, "unit", None)
    town = unit.parent if unit is not None and not scope.is_empty else None
    return [town] if town is not None and town.kind in TOWN_KINDS else []


def _chart_data(report: IndicatorReport, focus: UnitIndicators) -> dict[str, Any]:
    def unit_values(unit: UnitIndicators) -> dict[str, Any]:
        return {
            "name": unit.name,
            "values": {v.code: _number(v.value) for v in unit.indicators},
        }

    return {
        "indicators": [
            {"code": v.code, "name": v.name, "target": _number(v.target), "direction": v.direction}
            for v in focus.indicators
        ],
        "villages": [unit_values(u) for u in report.units if u.kind == "village"],
        "schools": [unit_values(u) for u in report.units if u.kind == "school"],
        "groups": [unit_values(u) for u in report.units if u.kind == "group"],
    }


def _year_values(*, town: Unit, year: SchoolYear, unit_id: int | None) -> dict[str, float | None]:
    """The focus unit's rates of a past school year, as shown (indicators.figures)."""
    report = indicators_report(
        school_year=year.year,
        town=town,
        unit_ids=set() if unit_id is None else {unit_id},
        include_groups=False,
    )
    unit = next((u for u in report.units if u.unit_id == unit_id), None)
    return {v.code: _number(v.value) for v in unit.indicators} if unit is not None else {}


def _trend(*, town: Unit, focus: UnitIndicators, school_year: SchoolYear) -> dict[str, Any]:
    years = list(
        SchoolYear.objects.filter(year__lte=school_year.year).order_by("-year")[:TREND_YEARS]
    )[::-1]
    series: dict[str, list[float | None]] = {v.code: [] for v in focus.indicators}
    current = {v.code: _number(v.value) for v in focus.indicators}
    for year in years:
        values = (
            current  # the year shown: already computed for the cards
            if year.pk == school_year.pk
            else _year_values(town=town, year=year, unit_id=focus.unit_id)
        )
        for code in series:
            series[code].append(values.get(code))
    return {"years": [f"{y.year}—{y.year + 1}" for y in years], "series": series}


def dashboard_build(
    *, user: Actor, school_year: SchoolYear | None, town_id: int | None
) -> Dashboard:
    scope = scope_for(user)
    towns = _towns_of(user)
    town = next((t for t in towns if t.pk == town_id), towns[0] if towns else None)
    board = Dashboard(
        school_year=school_year,
        town=town,
        towns=towns,
        counts=register_counts(user=user, school_year=school_year),
        overdue=overdue_items(user=user, school_year=school_year),
    )
    if school_year is None or town is None:
        return board
    try:
        report = indicators_report(
            school_year=school_year.year, town=town, unit_ids=scope.unit_ids, include_groups=True
        )
    except IndicatorError as exc:
        board.error = str(exc)
        return board
    board.reference_date = report.reference_date
    # The cards are the user's own unit; the county inspector's is the town chosen.
    in_report = {u.unit_id for u in report.units}
    focus_id = scope.root_id if scope.root_id in in_report else town.pk
    board.focus = next((u for u in report.units if u.unit_id == focus_id), None)
    if board.focus is not None:
        board.chart = _chart_data(report, board.focus)
        board.chart["trend"] = _trend(town=town, focus=board.focus, school_year=school_year)
    return board


def dashboard_key(*, user: Actor, school_year: SchoolYear | None, town_id: int | None) -> str:
    """What a built dashboard depends on: the user, their role and unit, the year and its
    lock, the town chosen, and the data (any town's change: one cheap query instead of the
    user's scope, and changes are rare next to reads)."""
    year = f"{school_year.pk}.{school_year.locked}" if school_year is not None else "-"
    role, unit_id = getattr(user, "role", ""), getattr(user, "unit_id", None)
    return f"liangji:dashboard:{user.pk}:{role}:{unit_id}:{year}:{town_id}:{data_version_latest()}"


def dashboard_kept(
    *, key: str, user: Actor, school_year: SchoolYear | None, town_id: int | None
) -> Dashboard:
    """`dashboard_build`, kept BOARD_KEEP_SECONDS under `key` (`dashboard_key`); built once
    per process when many requests of the user arrive together after a change."""
    return kept(
        key,
        lambda: dashboard_build(user=user, school_year=school_year, town_id=town_id),
        BOARD_KEEP_SECONDS,
    )
