"""The people behind a shortfall: the work list of the office (domain.md §3).

For a ≥ indicator they are the population outside the numerator (children not enrolled, 15-year-
olds who did not complete primary, illiterate adults); for a ≤ indicator they are the numerator
itself (the pupils who dropped out, the illiterate 15-year-olds). The selection is the
definition's own SQL, so the list always has exactly as many lines as the figure is short of its
population. Each line says why, in the office's words, from the person's rolls and record.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection

from liangji.indicators.context import Context, context_for
from liangji.indicators.definitions import (
    Basis,
    Direction,
    IndicatorDefinition,
    Terms,
    definition_get,
)
from liangji.indicators.engine import fetch, person_from_sql, roll_from_sql, table_names
from liangji.indicators.places import roll_studying_on
from liangji.indicators.report import IndicatorError
from liangji.registers.choices import (
    SCHOOL_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    PriorityGroup,
    RollStatus,
)
from liangji.registers.models import Enrollment, Unit
from liangji.registers.rules import age_on


@dataclass(frozen=True)
class ShortfallRow:
    person_id: int | None
    enrollment_id: int | None
    name: str
    sex: str
    birth_date: datetime.date
    age: int
    village: str
    household: str
    school: str
    grade: int | None
    reason: str
    id_number: str  # unmasked: the page or the export decides what to show


def _as_date(value: object) -> datetime.date:
    # SQLite hands raw SQL dates back as text; PostgreSQL as dates.
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _ids(values: Collection[int]) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


def _unit_filter(
    column: str, unit: Unit | None, unit_ids: Collection[int] | None, town: Unit
) -> str:
    """Restrict to the unit asked for and to the caller's scope (the town's id = all of it)."""
    parts = []
    if unit is not None and unit.kind not in TOWN_KINDS:
        parts.append(f"{column} = {int(unit.pk)}")
    if unit_ids is not None and town.pk not in unit_ids:
        parts.append(f"{column} IN ({_ids(unit_ids)})")
    return "".join(f" AND {part}" for part in parts)


def _people_selected(definition: IndicatorDefinition, terms: Terms) -> str:
    if definition.direction is Direction.AT_MOST:
        return definition.numerator_sql(terms)
    return f"({definition.population_sql(terms)} AND NOT {definition.numerator(terms)})"


def _roll_reason(roll: Enrollment, terms: Terms) -> str | None:
    """Why this roll does not make the pupil enrolled on the reference date (None if it does)."""
    if roll.studying:  # type: ignore[attr-defined]  # the engine's rule, annotated
        return None
    if roll.entry_date and roll.entry_date > terms.reference:
        return f"{roll.entry_date}才入学（{roll.school}{roll.grade}年级）"
    if roll.status == RollStatus.SUSPENDED:
        return f"休学（自{roll.status_date}）"
    if roll.status == RollStatus.STUDYING:  # back only after the reference date
        return f"{roll.status_date}才复学（{roll.school}{roll.grade}年级），统计时点未在读"
    if roll.status == RollStatus.TRANSFERRED_OUT:
        where = f"转往{roll.transfer_school}" if roll.transfer_school else "未找到接收学校"
        return f"转出（{roll.status_date}，{where}）"
    return f"{roll.status}（{roll.status_date}）"


def _person_reason(
    definition: IndicatorDefinition,
    terms: Terms,
    rolls: list[Enrollment],
    elsewhere_level: str,
    elsewhere_proof: bool | None,
    education_level: str,
    home_schooling: bool,
) -> str:
    if definition.code in {"illiteracy_15", "literacy_15_50"}:
        return f"文化程度记为{education_level}"
    this_year = [r for r in rolls if r.school_year_id == terms.school_year_id]
    reasons = [reason for r in this_year if (reason := _roll_reason(r, terms))]
    if reasons:
        return "；".join(reasons)
    if this_year:  # enrolled, but not at the level the indicator needs
        roll = this_year[0]
        return f"在读{roll.school}{roll.grade}年级"
    if elsewhere_level:
        proof = "" if elsewhere_proof else "，无证明"
        return f"在外就读{elsewhere_level}{proof}"
    if home_schooling and not terms.settings.count_home_schooling_as_enrolled:
        return "送教上门（本镇设置不计为入学）"
    graduated = [r for r in rolls if r.status == RollStatus.GRADUATED]
    if graduated:
        return f"{graduated[-1].grade}年级毕业（{graduated[-1].status_date}）"
    if education_level:
        return f"不在任何学籍，文化程度记为{education_level}"
    return "不在任何学籍"


def _person_rows(
    definition: IndicatorDefinition,
    ctx: Context,
    where: str,
) -> list[ShortfallRow]:
    terms = ctx.terms
    sql = f"""
        SELECT r.id, p.id, p.name, p.sex, p.birth_date, p.id_number, v.name, h.number,
               r.elsewhere_level, r.elsewhere_proof, r.education_level, r.home_schooling
        {
        person_from_sql(
            terms,
            ctx.town.pk,
            "JOIN {unit} v ON v.id = r.village_id JOIN {household} h ON h.id = r.household_id",
        )
    }
          AND {_people_selected(definition, terms)} {where}
        ORDER BY v.name, h.number, p.birth_date, p.id"""
    rows = fetch(sql, [terms.school_year_id, ctx.town.pk])
    rolls: dict[int, list[Enrollment]] = defaultdict(list)
    person_ids = [row[1] for row in rows]
    for roll in (
        Enrollment.objects.filter(person_id__in=person_ids, school_year__year__lte=terms.year)
        .annotate(studying=roll_studying_on(terms.reference))
        .select_related("school")
        .order_by("school_year__year", "id")
    ):
        rolls[roll.person_id].append(roll)  # type: ignore[index]
    result = []
    for _, person_id, name, sex, born, id_number, village, number, level, proof, edu, home in rows:
        born = _as_date(born)
        own = rolls.get(int(person_id), [])  # type: ignore[call-overload]
        current = next((r for r in own if r.school_year_id == terms.school_year_id), None)
        result.append(
            ShortfallRow(
                person_id=int(person_id),  # type: ignore[call-overload]
                enrollment_id=current.pk if current else None,
                name=str(name),
                sex=str(sex),
                birth_date=born,
                age=age_on(born, terms.reference),
                village=str(village),
                household=str(number),
                school=current.school.name if current else "",
                grade=current.grade if current else None,
                reason=_person_reason(
                    definition,
                    terms,
                    own,
                    str(level),
                    None if proof is None else bool(proof),
                    str(edu),
                    bool(home),
                ),
                id_number=str(id_number or ""),
            )
        )
    return result


def _roll_rows(definition: IndicatorDefinition, ctx: Context, where: str) -> list[ShortfallRow]:
    terms = ctx.terms
    sql = f"SELECT e.id {roll_from_sql()} AND {_people_selected(definition, terms)} {where}"
    ids = [row[0] for row in fetch(sql, [terms.school_year_id, ctx.town.pk])]
    result = []
    for roll in (
        Enrollment.objects.filter(pk__in=ids)
        .select_related("school")
        .order_by("school__name", "grade", "name")
    ):
        result.append(
            ShortfallRow(
                person_id=roll.person_id,
                enrollment_id=roll.pk,
                name=roll.name,
                sex=roll.sex,
                birth_date=roll.birth_date,
                age=age_on(roll.birth_date, terms.reference),
                village=roll.hukou_village,
                household="",
                school=roll.school.name,
                grade=roll.grade,
                reason=_exit_reason(roll),
                id_number=roll.id_number,
            )
        )
    return result


def _exit_reason(roll: Enrollment) -> str:
    if roll.status == RollStatus.SUSPENDED:
        return f"休学（自{roll.status_date}）"
    if roll.status == RollStatus.TRANSFERRED_OUT:
        return f"转出（{roll.status_date}）未找到接收学校"
    return f"{roll.status}（{roll.status_date}）"


def shortfall_list(
    *,
    code: str,
    school_year: int,
    unit: Unit | None = None,
    unit_ids: Collection[int] | None = None,
    group: str | None = None,
) -> list[ShortfallRow]:
    """The people behind the shortfall of one indicator for a town, a village or a school (and,
    for population indicators, optionally one priority group)."""
    try:
        definition = definition_get(code)
    except KeyError as exc:
        raise IndicatorError(exc.args[0]) from None
    ctx = context_for(school_year=school_year, town=unit.town if unit is not None else None)
    if unit_ids is not None and not unit_ids:
        return []
    if definition.basis is Basis.ROLL:
        if unit is not None and unit.kind in VILLAGE_KINDS:
            raise IndicatorError(f"{definition.name}按学校统计；请指定镇或学校，而不是 {unit.name}")
        return _roll_rows(definition, ctx, _unit_filter("e.school_id", unit, unit_ids, ctx.town))
    if unit is not None and unit.kind in SCHOOL_KINDS:
        raise IndicatorError(f"{definition.name}按户籍村统计；请指定镇或村，而不是 {unit.name}")
    where = _unit_filter("r.village_id", unit, unit_ids, ctx.town)
    if group is not None:
        if group not in PriorityGroup.values:
            raise IndicatorError(
                f"未知的特殊群体 {group}；可用的：{'、'.join(PriorityGroup.values)}"
            )
        # The group is one of the vocabulary's values (checked above), safe to inline.
        where += (
            f" AND r.id IN (SELECT g.record_id FROM {table_names()['group_membership']} g"
            f" WHERE g.{connection.ops.quote_name('group')} = '{PriorityGroup(group).value}')"
        )
    return _person_rows(definition, ctx, where)


@dataclass(frozen=True)
class GrossRateNote:
    """Why the junior gross rate's list is not 差 N 人 long: its numerator counts junior pupils
    of any age, the list names the children of the ages who are not at junior level."""

    listed: int  # children of the ages not enrolled at junior level: the list
    short: int  # denominator − numerator: 差 N 人 (negative when the rate passes 100 %)
    outside_ages: int  # junior pupils outside the ages, counted in the numerator only

    def text(self) -> str:
        if self.outside_ages == 0:
            return ""
        return (
            f"名单列出 {self.listed} 名适龄儿童未在初中就读；毛入学率的分子另计入"
            f" {self.outside_ages} 名不在适龄范围内的初中在校生，所以与“差 {self.short} 人”不同。"
        )


def gross_rate_note(
    *, school_year: int, unit: Unit | None = None, unit_ids: Collection[int] | None = None
) -> GrossRateNote:
    definition = definition_get("junior_gross_enrollment")
    ctx = context_for(school_year=school_year, town=unit.town if unit is not None else None)
    t = ctx.terms
    population, numerator = definition.population_sql(t), definition.numerator(t)
    where = _unit_filter("r.village_id", unit, unit_ids, ctx.town)
    sql = (
        f"SELECT COUNT(CASE WHEN {population} AND NOT {numerator} THEN 1 END),"
        f" COUNT(CASE WHEN {numerator} AND NOT {population} THEN 1 END)"
        f" {person_from_sql(t, ctx.town.pk)} {where}"
    )
    [(listed, outside)] = fetch(sql, [t.school_year_id, ctx.town.pk])
    listed, outside = int(str(listed or 0)), int(str(outside or 0))
    return GrossRateNote(listed=listed, short=listed - outside, outside_ages=outside)
