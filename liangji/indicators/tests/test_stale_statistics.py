"""PostgreSQL plans the counting statements the same whatever its statistics say.

A register table that autovacuum analysed while it held only dead rows (rolled-back test
transactions, an aborted import) is recorded as empty. The planner then chose a nested loop that
re-ran the roll-facts aggregate once per person record; `make test` hung in this module on
PostgreSQL and `liangji indicators` went from 1.2 s to minutes.
"""

from __future__ import annotations

import pytest
from django.db import connection

from liangji.indicators.selectors import indicators_compute, shortfall_list
from liangji.registers import testing as b

pytestmark = pytest.mark.postgresql  # planner statistics exist on PostgreSQL only


def _statistics_say_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # What autovacuum leaves after analysing pages of dead rows: pages, but no live tuples.
        cursor.execute("UPDATE pg_class SET reltuples = 0 WHERE relname LIKE 'registers\\_%%'")


def _plans_of_counting_statements(run) -> list[str]:
    plans: list[str] = []

    def explain(execute, sql, params, many, context):
        if "COUNT(" in sql or "GROUP BY" in sql:
            # The same database cursor, in the same transaction: the settings the statement runs
            # with. (The raw cursor: Django's wrapper would call this wrapper again.)
            raw = context["cursor"].cursor
            raw.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in raw.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        run()
    return plans


def test_indicator_statements_use_no_nested_loop_on_stale_statistics(cast):
    enrolled = b.people(cast.village, 300, born="2014-02-02")
    b.pupils(cast.primary, enrolled, grade=3)
    b.people(cast.village, 30, born="2008-05-05", education_level="初中在读")
    _statistics_say_empty()

    plans = _plans_of_counting_statements(
        lambda: indicators_compute(school_year=b.YEAR, town=cast.town)
    )

    assert len(plans) == 2  # the population pass and the roll pass
    for plan in plans:
        assert "Nested Loop" not in plan, plan
    value = indicators_compute(school_year=b.YEAR, town=cast.town).unit("汉源镇")
    assert value.get("primary_enrollment").numerator == 300


def test_shortfall_statement_uses_no_nested_loop_on_stale_statistics(cast):
    b.people(cast.village, 20, born="2014-02-02")
    _statistics_say_empty()

    plans = _plans_of_counting_statements(
        lambda: shortfall_list(code="primary_enrollment", school_year=b.YEAR)
    )

    assert plans
    for plan in plans:
        assert "Nested Loop" not in plan, plan
