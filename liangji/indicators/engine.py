"""Counting: every definition of one basis in one grouped SQL query.

Population indicators are one pass over the person records of the school year (joined to each
person's roll facts), grouped by 户籍 village, and a second grouped by priority group; dropout
indicators are one pass over the rolls of the school year, grouped by school. The town's figure
is the sum of its villages' (resp. schools') counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from liangji.indicators.definitions import Basis, FlagTerms, IndicatorDefinition, Terms
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)

Counts = dict[object, dict[str, tuple[int, int]]]  # group key → code → (numerator, denominator)


def table_names() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "enrollment": quote(Enrollment._meta.db_table),
        "unit": quote(Unit._meta.db_table),
        "school_year": quote(SchoolYear._meta.db_table),
        "person": quote(Person._meta.db_table),
        "person_record": quote(PersonRecord._meta.db_table),
        "group_membership": quote(GroupMembership._meta.db_table),
        "household": quote(Household._meta.db_table),
        "enrollment_event": quote(EnrollmentEvent._meta.db_table),
    }


def _kinds(kinds: frozenset[str]) -> str:
    return ", ".join(sorted(f"'{k}'" for k in kinds))


def _count_columns(definitions: Sequence[IndicatorDefinition], terms: Terms) -> str:
    columns = []
    for d in definitions:
        columns.append(f"COUNT(CASE WHEN {d.numerator_sql(terms)} THEN 1 END)")
        columns.append(f"COUNT(CASE WHEN {d.population_sql(terms)} THEN 1 END)")
    return ",\n  ".join(columns)


def person_from_sql(terms: Terms, town_id: int, joins: str = "") -> str:
    """FROM … WHERE over the town's person records of the year, with their roll facts as `f`
    (and `joins`, written with the `table_names()` placeholders). Parameters: year id, town id.

    The roll facts are gathered for the town's people only (their rolls may be at any school,
    in this town or another), so that a county database is not aggregated once per town.
    """
    names = table_names()
    villages = (
        f"SELECT id FROM {names['unit']} WHERE parent_id = {int(town_id)}"
        f" AND kind IN ({_kinds(VILLAGE_KINDS)})"
    )
    persons = (
        f"AND e.person_id IN (SELECT r2.person_id FROM {names['person_record']} r2"
        f" WHERE r2.school_year_id = {int(terms.school_year_id)} AND r2.village_id IN ({villages}))"
    )
    facts = terms.roll_facts(persons).format(**names)
    return f"""
        FROM {names["person_record"]} r
          JOIN {names["person"]} p ON p.id = r.person_id
          {joins.format(**names)}
          LEFT JOIN ({facts}) f ON f.person_id = r.person_id
        WHERE r.school_year_id = %s
          AND r.village_id IN (SELECT id FROM {names["unit"]}
                               WHERE parent_id = %s AND kind IN ({_kinds(VILLAGE_KINDS)}))"""


def roll_from_sql(joins: str = "") -> str:
    """FROM … WHERE over the rolls of the year at the town's schools (and `joins`)."""
    names = table_names()
    return f"""
        FROM {names["enrollment"]} e
          JOIN {names["unit"]} s ON s.id = e.school_id
          {joins}
        WHERE e.school_year_id = %s AND s.parent_id = %s AND s.kind IN ({_kinds(SCHOOL_KINDS)})"""


def _rows_to_counts(
    rows: Sequence[Sequence[object]], definitions: Sequence[IndicatorDefinition]
) -> Counts:
    counts: Counts = {}
    for key, *values in rows:
        counts[key] = {
            d.code: (int(values[2 * i] or 0), int(values[2 * i + 1] or 0))  # type: ignore[call-overload]
            for i, d in enumerate(definitions)
        }
    return counts


def fetch(sql: str, params: list[int | str]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# SQLite would otherwise flatten the inner query into the aggregate and evaluate every term
# again in each counted condition; a LIMIT keeps it a separate (streamed) subquery. PostgreSQL
# accepts the same text and is not slowed by it.
_NO_FLATTEN = "LIMIT 2000000000"


def _person_counts(
    definitions: Sequence[IndicatorDefinition], terms: Terms, key: str, from_sql: str, town_id: int
) -> Counts:
    person = [d for d in definitions if d.basis is Basis.PERSON]
    flags = FlagTerms(terms)
    columns = _count_columns(person, flags)
    inner = ",\n  ".join(
        f"CASE WHEN {sql} THEN 1 ELSE 0 END AS {name}" for name, sql in flags.flags.items()
    )
    sql = (
        f"SELECT q.unit_key, {columns} FROM (SELECT {key} AS unit_key, {inner} {from_sql}"
        f" {_NO_FLATTEN}) q GROUP BY q.unit_key"
    )
    return _rows_to_counts(fetch(sql, [terms.school_year_id, town_id]), person)


def counts_by_village(
    *, definitions: Sequence[IndicatorDefinition], terms: Terms, town_id: int
) -> Counts:
    from_sql = person_from_sql(terms, town_id)
    return _person_counts(definitions, terms, "r.village_id", from_sql, town_id)


def counts_by_group(
    *, definitions: Sequence[IndicatorDefinition], terms: Terms, town_id: int
) -> Counts:
    """Driven by the memberships (few) rather than by every person record of the town."""
    names = table_names()
    from_sql = person_from_sql(terms, town_id, "JOIN {group_membership} g ON g.record_id = r.id")
    from_sql += f" AND r.id IN (SELECT record_id FROM {names['group_membership']})"
    group_column = connection.ops.quote_name("group")
    return _person_counts(definitions, terms, f"g.{group_column}", from_sql, town_id)


def counts_by_school(
    *, definitions: Sequence[IndicatorDefinition], terms: Terms, town_id: int
) -> Counts:
    rolls = [d for d in definitions if d.basis is Basis.ROLL]
    sql = (
        f"SELECT e.school_id, {_count_columns(rolls, terms)} {roll_from_sql()} GROUP BY e.school_id"
    )
    return _rows_to_counts(fetch(sql, [terms.school_year_id, town_id]), rolls)
