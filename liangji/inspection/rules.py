"""How the automatic items of the standard are judged from data, for many units at once.

These functions know no user: the selectors that call them have already limited the units to
the acting user's scope. Each returns, per unit id, the problems found (empty: the item is met),
worded for the readiness page and the self-check report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from liangji.indicators.report import IndicatorReport
from liangji.inspection.choices import HazardStatus, JudgedBy, SafetyGrade
from liangji.inspection.models import (
    FundingYear,
    SafetyHazard,
    SchoolBuilding,
    StandardItem,
    Teacher,
)
from liangji.registers.models import SchoolYear, Unit
from liangji.standards import judge_run

# 教师学历合格率 the standard asks of a school (item T01).
TEACHER_QUALIFIED_MIN_PERCENT = Decimal(95)


def applicable_items(unit: Unit) -> list[StandardItem]:
    items = StandardItem.objects.filter(active=True).select_related("aspect")
    return [item for item in items if item.applies_to(unit)]


def town_units(town: Unit) -> list[Unit]:
    """The villages and schools of a town (also those under a 学区 of the town)."""
    units = Unit.objects.filter(parent=town) | Unit.objects.filter(parent__parent=town)
    chosen = [u for u in units if u.is_village or u.is_school]
    return sorted(chosen, key=lambda u: (u.is_school, u.name))


@dataclass(frozen=True)
class IndicatorOutcome:
    """One indicator of one unit, as the readiness rules need it."""

    code: str
    name: str
    value: Decimal | None
    target: Decimal
    met: bool | None


def universalisation_results(report: IndicatorReport) -> dict[int, list[IndicatorOutcome]]:
    """The indicators of every unit of an indicator report, keyed by unit id.

    The one place that reads the indicators engine's report. Priority-group rows have no unit
    id and are left out: readiness is judged per unit.
    """
    return {
        unit.unit_id: [
            IndicatorOutcome(
                code=value.code,
                name=value.name,
                value=value.value,
                target=value.target,
                met=value.met,
            )
            for value in unit.indicators
        ]
        for unit in report.units
        if unit.unit_id is not None
    }


def indicator_problems(outcomes: Iterable[IndicatorOutcome], codes: Iterable[str]) -> list[str]:
    """The indicators among `codes` below target. No population (met is None) is no problem."""
    wanted = set(codes)
    return [
        f"{o.name} {o.value}%，未达到目标 {o.target}%"
        for o in outcomes
        if o.code in wanted and o.met is False
    ]


def dangerous_buildings(school_ids: Iterable[int]) -> dict[int, list[str]]:
    """D级危房 still in use, per school."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = SchoolBuilding.objects.filter(
        school_id__in=list(school_ids), safety_grade=SafetyGrade.D, in_use=True
    ).values_list("school_id", "name", "area")
    for school_id, name, area in rows:
        found[school_id].append(f"D级危房「{name}」（{area}㎡）仍在使用")
    return found


def open_hazards(school_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = SafetyHazard.objects.filter(
        school_id__in=list(school_ids), status=HazardStatus.OPEN
    ).values_list("school_id", "description", "found_on")
    for school_id, description, found_on in rows:
        found[school_id].append(f"校园安全隐患未整改：{description}（发现于 {found_on}）")
    return found


def funding_year_for(school_year: SchoolYear) -> int:
    """The fiscal year judged for a school year: the calendar year in which it begins."""
    return school_year.year


def _growth(current: Decimal, previous: Decimal) -> Decimal | None:
    return None if previous == 0 else (current - previous) * 100 / previous


def funding_problems(unit_ids: Iterable[int], year: int) -> dict[int, list[str]]:
    """The 三个增长 of each unit's funding in `year` against `year - 1`; missing data fails,
    because growth that is not on file cannot be shown to an inspector."""
    ids = list(unit_ids)
    rows = {
        (f.unit_id, f.year): f
        for f in FundingYear.objects.filter(unit_id__in=ids, year__in=[year, year - 1])
    }
    found: dict[int, list[str]] = {}
    for unit_id in ids:
        current, previous = rows.get((unit_id, year)), rows.get((unit_id, year - 1))
        if current is None or previous is None:
            missing = year if current is None else year - 1
            found[unit_id] = [f"缺少 {missing} 年教育经费数据，无法判定“三个增长”"]
            continue
        found[unit_id] = funding_growth_problems(current, previous)
    return found


def funding_growth_problems(current: FundingYear, previous: FundingYear) -> list[str]:
    problems = []
    appropriation = _growth(current.appropriation, previous.appropriation)
    revenue = _growth(current.recurrent_revenue, previous.recurrent_revenue)
    if appropriation is None or revenue is None or appropriation <= revenue:
        problems.append(
            f"教育财政拨款增长 {_pct(appropriation)} 未高于经常性财政收入增长 {_pct(revenue)}"
        )
    if current.per_pupil_spending <= previous.per_pupil_spending:
        problems.append(
            f"生均公用经费 {current.per_pupil_spending} 元未高于上年 "
            f"{previous.per_pupil_spending} 元"
        )
    if current.teacher_avg_salary <= previous.teacher_avg_salary:
        problems.append(
            f"教师年平均工资 {current.teacher_avg_salary} 元未高于上年 "
            f"{previous.teacher_avg_salary} 元"
        )
    return problems


def _pct(value: Decimal | None) -> str:
    return "无法计算" if value is None else f"{value.quantize(Decimal('0.01'))}%"


def teacher_problems(school_ids: Iterable[int]) -> dict[int, list[str]]:
    """Schools whose share of qualified teachers is below the standard, or with none on file."""
    ids = list(school_ids)
    counts = {
        row["school_id"]: row
        for row in Teacher.objects.filter(school_id__in=ids)
        .values("school_id")
        .annotate(total=Count("id"), qualified=Count("id", filter=Q(qualified=True)))
    }
    found: dict[int, list[str]] = {}
    for school_id in ids:
        row = counts.get(school_id)
        if row is None:
            found[school_id] = ["教师登记为空，无法判定学历合格率"]
        elif row["qualified"] * 100 < TEACHER_QUALIFIED_MIN_PERCENT * row["total"]:
            found[school_id] = [
                f"专任教师学历合格 {row['qualified']}/{row['total']} 人，"
                f"低于 {TEACHER_QUALIFIED_MIN_PERCENT}%"
            ]
        else:
            found[school_id] = []
    return found


def register_problems(
    judged_by: str, units: Iterable[Unit], school_year: SchoolYear
) -> dict[int, list[str]]:
    """The problems of one register-judged item for each unit it applies to."""
    unit_list = list(units)
    school_ids = [u.pk for u in unit_list if u.is_school]
    if judged_by == JudgedBy.BUILDINGS:
        return dangerous_buildings(school_ids)
    if judged_by == JudgedBy.HAZARDS:
        return open_hazards(school_ids)
    if judged_by == JudgedBy.TEACHERS:
        return teacher_problems(school_ids)
    if judged_by == JudgedBy.FUNDING:
        town_ids = [u.pk for u in unit_list if u.is_town]
        return funding_problems(town_ids, funding_year_for(school_year))
    if judged_by == JudgedBy.LITERACY:
        # Kept by the literacy app, which registers its judge (liangji/standards.py).
        places = [u for u in unit_list if u.is_town or u.is_village]
        return judge_run("literacy.unit_standard", units=places, school_year=school_year)
    raise ValueError(f"{judged_by} is not judged from a register")
