"""Where a child is on a day, for lists that read rows through the ORM (the 适龄儿童台账, the
shortfall reasons): the indicator engine's own SQL rules (`definitions.roll_enrolled_on`,
`definitions.exempted_on`) added to a queryset as 0/1 columns, and the engine's per-person
facts over every roll up to the year (`schooling_on`), so that a ledger, a shortfall list and an
indicator can never disagree about one child on one day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from liangji.indicators.definitions import Terms, _lit, exempted_on, roll_enrolled_on
from liangji.indicators.engine import fetch, person_from_sql
from liangji.registers.models import Enrollment, PersonRecord, SchoolYear
from liangji.registers.town_settings import TownSettings


def _flag(condition: str) -> RawSQL:
    # The conditions inline only dates and vocabulary constants of `definitions` (never user
    # input), as everywhere in the engine.
    return RawSQL(f"CASE WHEN {condition} THEN 1 ELSE 0 END", [])


def roll_studying_on(day: datetime.date) -> RawSQL:
    """For an Enrollment queryset: 1 when the roll makes the pupil 在读 on `day`."""
    return _flag(roll_enrolled_on(day, e=connection.ops.quote_name(Enrollment._meta.db_table)))


def record_exempted_on(day: datetime.date) -> RawSQL:
    """For a PersonRecord queryset: 1 when a 免学/缓学 approval is valid on `day`."""
    return _flag(exempted_on(day, r=connection.ops.quote_name(PersonRecord._meta.db_table)))


@dataclass(frozen=True)
class Schooling:
    """What the engine knows of one child's schooling on a day, from every roll up to the year
    and the recorded level."""

    junior_completed: bool  # finished junior school (graduated, at senior level, or recorded)
    never_enrolled: bool  # 失学: not enrolled, on no roll of any year, no schooling recorded


def schooling_on(
    *,
    town_id: int,
    school_year: SchoolYear,
    settings: TownSettings,
    day: datetime.date,
    born_after: datetime.date,
    born_by: datetime.date,
) -> dict[int, Schooling]:
    """The engine's terms on `day` for the town's person records of the year born in
    (born_after, born_by], by person id: one query."""
    terms = Terms(settings=settings, school_year_id=school_year.pk, year=school_year.year, day=day)
    sql = (
        f"SELECT r.person_id, CASE WHEN {terms.junior_completed} THEN 1 ELSE 0 END,"
        f" CASE WHEN {terms.never_enrolled} THEN 1 ELSE 0 END {person_from_sql(terms, town_id)}"
        f" AND p.birth_date > {_lit(born_after)} AND p.birth_date <= {_lit(born_by)}"
    )
    return {
        int(str(person_id)): Schooling(bool(done), bool(never))
        for person_id, done, never in fetch(sql, [school_year.pk, town_id])
    }
