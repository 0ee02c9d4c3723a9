"""What the query-count tests count: the statements that read or write data.

PostgreSQL runs bookkeeping statements besides them — the planner guard of the indicator engine
(a savepoint and `SET LOCAL` around each counting statement) and the web's statement timeout
(`SET statement_timeout` per request). They cost nothing that grows with the data, and SQLite
has none of them, so a page's count is the same on both databases only without them.
"""

from __future__ import annotations

from django.test.utils import CaptureQueriesContext

BOOKKEEPING = (
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
    "SET LOCAL",
    "SET statement_timeout",
)


def data_statements(captured: CaptureQueriesContext) -> list[str]:
    """The captured statements, without PostgreSQL's bookkeeping."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(BOOKKEEPING)]
