"""Counting: every definition of one basis in one grouped SQL query.

Population indicators are one pass over the town's person records of the school year (joined
to each person's roll facts), grouped by 户籍 village and, in the same statement, by priority
group; dropout indicators are one pass over the rolls of the town's schools, grouped by school.
The town's figure is the sum of its villages' (resp. schools') counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction

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
    """Rows of one counting statement.

    On PostgreSQL the statement runs with nested-loop joins disabled. Every join here is an
    equality join over whole sets (a town's records against its roll facts), which hash joins
    do in one pass. With planner statistics that say a table is empty — autovacuum analysed it
    after rolled-back or deleted rows, before an import filled it — the planner otherwise picks
    a nested loop that re-runs the roll-facts aggregate once per person record: 1.2 s became
    minutes at town scale. The plan must not depend on how fresh the statistics are.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _relevant_rows(definitions: Sequence[IndicatorDefinition], terms: Terms) -> str:
    """A cheap condition that keeps every row some definition counts: the span of all the age
    ranges, or a numerator that is not bounded by its population's ages (the junior gross
    rate's pupils of any age). Infants and the elderly, most of a register, then skip the
    terms. "" (no restriction) unless every population is bounded by an age range.
    """
    spans: list[tuple[int, int]] = []
    unbounded: list[str] = []
    for definition in definitions:
        flags = FlagTerms(terms)
        definition.population(flags)
        ages = flags.ages
        if not ages:
            return ""
        spans.extend(ages)
        if not definition.numerator_within_population:
            unbounded.append(definition.numerator(terms))
    low, high = min(a[0] for a in spans), max(a[1] for a in spans)
    return f"AND ({' OR '.join([terms.aged((low, high)), *unbounded])})"


def counts_by_village_and_group(
    *,
    definitions: Sequence[IndicatorDefinition],
    terms: Terms,
    town_id: int,
    groups: bool = True,
) -> tuple[Counts, Counts]:
    """Population counts by 户籍 village and (when `groups`) by priority group, in one query.

    Every term is computed once per person record in a materialised common table `q`; the
    counted conditions then read small integer flags, once grouped by village and once joined
    to the group memberships. Without it the database would evaluate each term again in each
    of the 18 counted conditions, and a second pass would recompute them for the groups.
    """
    person = [d for d in definitions if d.basis is Basis.PERSON]
    flags = FlagTerms(terms)
    columns = _count_columns(person, flags)
    inner = ",\n  ".join(
        f"CASE WHEN {sql} THEN 1 ELSE 0 END AS {name}" for name, sql in flags.flags.items()
    )
    key = "CAST(q.village_id AS VARCHAR(20))"
    sql = (
        f"WITH q AS MATERIALIZED (SELECT r.id AS record_id, r.village_id, {inner}"
        f" {person_from_sql(terms, town_id)} {_relevant_rows(person, terms)})"
        f" SELECT 'v', {key}, {columns} FROM q GROUP BY q.village_id"
    )
    if groups:
        group = f"g.{connection.ops.quote_name('group')}"
        sql += (
            f" UNION ALL SELECT 'g', {group}, {columns}"
            f" FROM {table_names()['group_membership']} g JOIN q ON q.record_id = g.record_id"
            f" GROUP BY {group}"
        )
    rows = fetch(sql, [terms.school_year_id, town_id])
    by_village = _rows_to_counts([(int(str(k)), *v) for t, k, *v in rows if t == "v"], person)
    by_group = _rows_to_counts([(k, *v) for t, k, *v in rows if t == "g"], person)
    return by_village, by_group


def counts_by_school(
    *, definitions: Sequence[IndicatorDefinition], terms: Terms, town_id: int
) -> Counts:
    rolls = [d for d in definitions if d.basis is Basis.ROLL]
    sql = (
        f"SELECT e.school_id, {_count_columns(rolls, terms)} {roll_from_sql()} GROUP BY e.school_id"
    )
    return _rows_to_counts(fetch(sql, [terms.school_year_id, town_id]), rolls)


def age_key(terms: Terms, low: int, high: int) -> str:
    """The completed age (周岁) on the reference date as an SQL expression, for ages low..high
    (NULL outside): the same birth bounds as every age range of the definitions."""
    branches = " ".join(f"WHEN {terms.aged((a, a))} THEN {a}" for a in range(low, high + 1))
    return f"(CASE {branches} ELSE NULL END)"


def _grouped(keys: Sequence[str], conditions: Sequence[str], from_sql: str, where: str) -> str:
    columns = ", ".join(f"COUNT(CASE WHEN {c} THEN 1 END)" for c in conditions)
    group = ", ".join(keys)
    return f"SELECT {group}, {columns} {from_sql} {where} GROUP BY {group}"


def person_counts(
    *, terms: Terms, town_id: int, keys: Sequence[str], conditions: Sequence[str], where: str = ""
) -> list[tuple[object, ...]]:
    """COUNT of each condition over the town's person records of the year, grouped by `keys`
    (SQL expressions over `r`, `p`, `f`): one pass, whatever the number of groups."""
    sql = _grouped(keys, conditions, person_from_sql(terms, town_id), where)
    return fetch(sql.replace("{enrollment_event}", table_names()["enrollment_event"]),
                 [terms.school_year_id, town_id])  # fmt: skip


def roll_counts(
    *, terms: Terms, town_id: int, keys: Sequence[str], conditions: Sequence[str], where: str = ""
) -> list[tuple[object, ...]]:
    """The same over the rolls of the year at the town's schools (`e`, `s`)."""
    sql = _grouped(keys, conditions, roll_from_sql(), where)
    return fetch(sql.replace("{enrollment_event}", table_names()["enrollment_event"]),
                 [terms.school_year_id, town_id])  # fmt: skip
