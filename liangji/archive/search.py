"""Full-text search of the archive in the database (migration 0003): SQLite FTS5 with the
trigram tokenizer, PostgreSQL pg_trgm. Both answer substring queries in Chinese, which has no
spaces to split words on.

Each whitespace-separated term must occur. SQLite's trigram index answers terms of three or
more characters; shorter ones ("证明") are checked with LIKE on the documents the longer terms
left (or on all of them, when every term is short: a scan, but of titles and extracted text of
one archive, not of the files).
"""

from __future__ import annotations

from django.db import connection


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_ids(query: str) -> list[int]:
    """Ids of the documents whose title, entry, unit, year or text hold every term."""
    terms = [t for t in query.split() if t][:8]
    if not terms:
        return []
    if connection.vendor == "sqlite":
        return _sqlite(terms)
    return _postgresql(terms)


def _sqlite(terms: list[str]) -> list[int]:
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    sql, params = "SELECT d.id FROM archive_document d", []
    conditions = []
    if long_terms:
        phrase = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        sql += " JOIN archive_document_fts f ON f.rowid = d.id"
        conditions.append("archive_document_fts MATCH %s")
        params.append(phrase)
    for term in short_terms:
        conditions.append("d.search_text LIKE %s ESCAPE '\\'")
        params.append(_like(term))
    sql += " WHERE " + " AND ".join(conditions)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _postgresql(terms: list[str]) -> list[int]:
    # ILIKE on search_text is what the GIN gin_trgm_ops index answers.
    conditions = " AND ".join("search_text ILIKE %s" for _ in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM archive_document WHERE {conditions}",
            [_like(t) for t in terms],
        )
        return [row[0] for row in cursor.fetchall()]
