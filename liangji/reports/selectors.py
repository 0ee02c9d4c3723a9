"""Reads of the report pages. Every selector takes the acting user and applies the scope: the
indicator engine, the shortfall lists, the cross-check and the reconciliation are asked for the
units the user may see, never more."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import Http404

from liangji.accounts.scope import access_unit, scope_for
from liangji.indicators.definitions import DEFINITIONS, IndicatorDefinition
from liangji.indicators.report import IndicatorError, IndicatorReport, UnitIndicators
from liangji.indicators.selectors import (
    CrosscheckRow,
    ReconciliationReport,
    ShortfallRow,
    dropout_crosscheck,
    indicator_trends,
    indicators_report,
    reconciliation_run,
    shortfall_list,
)
from liangji.indicators.values import IndicatorValue
from liangji.registers.choices import TOWN_KINDS, PriorityGroup
from liangji.registers.models import SchoolYear, Unit
from liangji.reports.catalogue import ReportSpec, reports_all
from liangji.reports.models import Narrative, ReportJob

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


KIND_LABELS = {"town": "镇", "village": "村/社区", "school": "学校", "group": "特殊群体"}


def report_towns(user: Actor) -> list[Unit]:
    """The towns whose reports the user may read: the county's for an inspector, else the
    user's own town (a village's or a school's parent)."""
    scope = scope_for(user)
    if scope.town_ids:
        return list(Unit.objects.filter(pk__in=sorted(scope.town_ids)).order_by("name"))
    unit = getattr(user, "unit", None)
    town = unit.parent if unit is not None and not scope.is_empty else None
    return [town] if town is not None and town.kind in TOWN_KINDS else []


def report_town(user: Actor, town_id: object) -> Unit | None:
    towns = report_towns(user)
    chosen = next((t for t in towns if str(t.pk) == str(town_id)), None)
    return chosen or (towns[0] if towns else None)


def focus_unit_id(user: Actor, town: Unit) -> int:
    """The unit whose figures a user looks at first: their own, or the town."""
    root = scope_for(user).root_id
    return root if root is not None and root != town.parent_id else town.pk


def report_units(user: Actor, town: Unit) -> list[Unit]:
    """The town and its villages and schools that the user may see, town first."""
    ids = scope_for(user).unit_ids
    children = Unit.objects.filter(parent=town).order_by("kind", "name")
    return [u for u in [town, *children] if u.pk in ids]


@dataclass(frozen=True)
class ReportChoice:
    spec: ReportSpec
    units: list[Unit]


def report_choices(kind: str, units: list[Unit]) -> list[ReportChoice]:
    """The reports of one kind, each with the units (of those given) it is made for."""
    return [
        ReportChoice(spec, [u for u in units if u.kind in spec.unit_kinds])
        for spec in reports_all()
        if spec.kind == kind
    ]


@dataclass
class IndicatorRow:
    unit: UnitIndicators
    cells: list[IndicatorValue | None]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.unit.kind]

    @property
    def query(self) -> str:
        """The people link's unit part: the unit, or the priority group (not a unit)."""
        if self.unit.unit_id is not None:
            return f"&unit={self.unit.unit_id}"
        return f"&group={quote(self.unit.name)}"


@dataclass
class IndicatorTable:
    report: IndicatorReport
    town: Unit
    definitions: tuple[IndicatorDefinition, ...]
    rows: list[IndicatorRow] = field(default_factory=list)


def indicator_table(*, user: Actor, school_year: SchoolYear, town: Unit) -> IndicatorTable:
    """The eleven indicators of every unit of the town the user may see, one row a unit."""
    return indicator_table_for(
        unit_ids=scope_for(user).unit_ids, school_year=school_year, town=town
    )


def indicator_table_for(
    *, unit_ids: Collection[int] | None, school_year: SchoolYear, town: Unit
) -> IndicatorTable:
    """The same for a scope given as unit ids (None: the whole town, the office's CLI)."""
    report = indicators_report(
        school_year=school_year.year, town=town, unit_ids=unit_ids, include_groups=True
    )
    table = IndicatorTable(report=report, town=town, definitions=DEFINITIONS)
    for unit in report.units:
        by_code = {v.code: v for v in unit.indicators}
        table.rows.append(IndicatorRow(unit, [by_code.get(d.code) for d in DEFINITIONS]))
    return table


def indicator_trend(*, user: Actor, town: Unit, unit_id: int) -> dict[str, Any]:
    """code → rates over every school year, for a unit the user may see (chart data)."""
    unit = access_unit(user, unit_id)
    trends = indicator_trends(town=town, unit_id=None if unit.pk == town.pk else unit.pk)
    years = sorted({year for series in trends.values() for year, _ in series})
    return {
        "unit": unit.name,
        "years": [f"{y}—{y + 1}" for y in years],
        "indicators": [
            {
                "code": d.code,
                "name": d.name,
                "direction": d.direction.value,
                "target": float(points[0][1].target),
                "values": [None if v.value is None else float(v.value) for _, v in points],
            }
            for d in DEFINITIONS
            if (points := trends.get(d.code))
        ],
    }


@dataclass(frozen=True)
class PeopleQuery:
    code: str
    unit: Unit
    group: str | None

    @property
    def definition(self) -> IndicatorDefinition:
        return next(d for d in DEFINITIONS if d.code == self.code)


def indicator_people_query(
    *, user: Actor, town: Unit, code: str, unit_id: object, group: str | None
) -> PeopleQuery:
    """Check what the people link asks for: a known indicator, a unit the user may see (404
    otherwise), a known group."""
    if code not in {d.code for d in DEFINITIONS}:
        raise IndicatorError(f"未知的指标 {code}")
    unit = access_unit(user, unit_id) if unit_id not in (None, "") else town
    if group and group not in PriorityGroup.values:
        raise IndicatorError(f"未知的特殊群体 {group}")
    if group and town.pk not in scope_for(user).unit_ids:
        raise IndicatorError("特殊群体按全镇统计，只有镇两基办和县督导可以查看")
    return PeopleQuery(code=code, unit=unit, group=group or None)


def indicator_people(
    *, user: Actor, school_year: SchoolYear, query: PeopleQuery
) -> list[ShortfallRow]:
    """The people behind one cell of the indicator table (the shortfall list, scoped)."""
    return shortfall_list(
        code=query.code,
        school_year=school_year.year,
        unit=query.unit,
        unit_ids=scope_for(user).unit_ids,
        group=query.group,
    )


def crosscheck_rows(*, user: Actor, school_year: SchoolYear, town: Unit) -> list[CrosscheckRow]:
    return dropout_crosscheck(
        school_year=school_year.year, unit_ids=scope_for(user).unit_ids, town=town
    )


def reconciliation(*, user: Actor, school_year: SchoolYear, town: Unit) -> ReconciliationReport:
    return reconciliation_run(
        school_year=school_year.year, town=town, unit_ids=scope_for(user).unit_ids
    )


def narrative_texts(town: Unit, school_year: SchoolYear, document: str) -> dict[str, str]:
    return dict(
        Narrative.objects.filter(town=town, school_year=school_year, document=document).values_list(
            "section", "text"
        )
    )


def report_jobs(user: Actor, *, town: Unit) -> QuerySet[ReportJob]:
    """The report jobs of a town the user may see (their units)."""
    ids = sorted(scope_for(user).unit_ids)
    return ReportJob.objects.filter(town=town, unit_id__in=ids).select_related("unit")


def report_job_access(user: Actor, pk: int | str) -> ReportJob:
    ids = sorted(scope_for(user).unit_ids)
    job = ReportJob.objects.filter(pk=pk, unit_id__in=ids).select_related("unit", "town").first()
    if job is None:
        raise Http404("没有找到该报表任务，或您无权查看。")
    return job


def report_title(name: str) -> str:
    return next((s.title for s in reports_all() if s.name == name), name)
