"""The figures as shown: what the dashboard, the trend, the reports and the CLI read.

- A locked school year shows the figures stored when it was approved (`figures_approve`, in
  the lock's transaction), never a recomputation: a setting changed later, or new code, cannot
  move an approved figure.
- Any other year is computed once per town, school year and data version and kept in the
  cache. Every write that can change a figure bumps the town's version in its own transaction
  (registers.versions), so a kept report is never served after a change.

A report is kept whole (every unit and priority group); each caller's scope is applied after.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from liangji.indicators.compute import indicators_compute
from liangji.indicators.context import school_year_for, town_for
from liangji.indicators.models import ApprovedFigures
from liangji.indicators.report import IndicatorReport, UnitIndicators
from liangji.indicators.values import IndicatorValue
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.versions import data_version, kept

# A kept report is dropped after a day even if nothing changed (memory, not correctness).
KEEP_SECONDS = 24 * 60 * 60


def report_to_json(report: IndicatorReport) -> dict[str, Any]:
    """The whole report, exactly (numerators, Decimal rates as text), for storing."""

    def value(v: IndicatorValue) -> dict[str, Any]:
        data = dataclasses.asdict(v)
        data["value"] = None if v.value is None else str(v.value)
        data["target"] = str(v.target)
        return data

    return {
        "school_year": report.school_year,
        "reference_date": report.reference_date.isoformat(),
        "settings": dict(report.settings),
        "units": [
            {
                "unit_id": u.unit_id,
                "name": u.name,
                "kind": u.kind,
                "indicators": [value(v) for v in u.indicators],
            }
            for u in report.units
        ],
    }


def report_from_json(data: dict[str, Any]) -> IndicatorReport:
    def value(v: dict[str, Any]) -> IndicatorValue:
        rate = None if v["value"] is None else Decimal(v["value"])
        return IndicatorValue(**{**v, "value": rate, "target": Decimal(v["target"])})

    return IndicatorReport(
        school_year=data["school_year"],
        reference_date=datetime.date.fromisoformat(data["reference_date"]),
        settings=data["settings"],
        units=[
            UnitIndicators(u["unit_id"], u["name"], u["kind"], [value(v) for v in u["indicators"]])
            for u in data["units"]
        ],
    )


def _scoped(
    report: IndicatorReport,
    *,
    town_id: int,
    unit_ids: Collection[int] | None,
    include_groups: bool,
) -> IndicatorReport:
    """What `indicators_compute` would return for this scope (groups: whole-town callers)."""
    town_visible = unit_ids is None or town_id in unit_ids
    units = [
        u
        for u in report.units
        if (u.kind == "group" and include_groups and town_visible)
        or (u.kind != "group" and (unit_ids is None or u.unit_id in unit_ids))
    ]
    return dataclasses.replace(report, units=units)


def _approved(school_year: SchoolYear, town: Unit) -> IndicatorReport | None:
    if school_year.locked_at is None:
        return None
    stored = (
        ApprovedFigures.objects.filter(
            school_year=school_year, town=town, locked_at=school_year.locked_at
        )
        .values_list("report", flat=True)
        .first()
    )
    return report_from_json(stored) if stored is not None else None


def _kept(school_year: SchoolYear, town: Unit, version: int | None = None) -> IndicatorReport:
    # The version is read before the data: see registers.versions.
    if version is None:
        version = data_version(town)
    key = f"liangji:indicators:{town.pk}:{school_year.year}:{version}"
    return kept(
        key, lambda: indicators_compute(school_year=school_year.year, town=town), KEEP_SECONDS
    )


def indicators_report(
    *,
    school_year: int,
    town: Unit | None = None,
    unit_ids: Collection[int] | None = None,
    include_groups: bool = True,
) -> IndicatorReport:
    """The figures shown for the year: the approved ones for a locked year, else the current
    ones. Same arguments and scope rules as `indicators_compute`."""
    resolved = town_for(town)
    year = school_year_for(school_year)
    report = _approved(year, resolved) if year.locked else None
    if report is None:
        report = _kept(year, resolved)
    return _scoped(report, town_id=resolved.pk, unit_ids=unit_ids, include_groups=include_groups)


def indicators_reports(
    *,
    town: Unit,
    unit_ids: Collection[int] | None = None,
    include_groups: bool = True,
) -> list[IndicatorReport]:
    """`indicators_report` for every school year on record, oldest first, in a fixed number of
    queries whatever the number of years: the years, the town's data version and the approved
    figures of the locked years are each read once (a trend page must not grow a query per
    year)."""
    years = list(SchoolYear.objects.order_by("year"))
    version = data_version(town)  # before any data, as in `_kept`
    locked = {y.pk: y for y in years if y.locked and y.locked_at is not None}
    approved: dict[int, IndicatorReport] = {}
    if locked:
        stored = ApprovedFigures.objects.filter(town=town, school_year_id__in=locked).values_list(
            "school_year_id", "locked_at", "report"
        )
        for year_id, locked_at, report in stored:
            if locked_at == locked[year_id].locked_at:
                approved[year_id] = report_from_json(report)
    return [
        _scoped(
            approved[year.pk] if year.pk in approved else _kept(year, town, version),
            town_id=town.pk,
            unit_ids=unit_ids,
            include_groups=include_groups,
        )
        for year in years
    ]


def figures_approve(*, school_year: SchoolYear) -> int:
    """Store every town's figures of a year just locked; call it in the lock's transaction.
    Returns the number of towns."""
    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS).order_by("pk"))
    for town in towns:
        report = indicators_compute(school_year=school_year.year, town=town)
        ApprovedFigures.objects.update_or_create(
            school_year=school_year,
            town=town,
            defaults={"locked_at": school_year.locked_at, "report": report_to_json(report)},
        )
    return len(towns)
