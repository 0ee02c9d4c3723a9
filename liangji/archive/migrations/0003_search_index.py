"""Search over the archive's text (一查就实) with what each database does well for Chinese:
SQLite's FTS5 with the trigram tokenizer (a shadow table kept by `archive.search`), PostgreSQL's
pg_trgm (a GIN trigram index on `Document.search_text`, used by ILIKE).
"""

from django.db import migrations

# An external-content FTS5 table over archive_document, kept in step by triggers, so that every
# write (the services, a restore's loaddata) updates it. A later migration that makes Django
# rebuild archive_document on SQLite drops the triggers with the old table: recreate them there
# (test_search's "after every migration" test fails otherwise).
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS archive_document_fts USING fts5("
    "search_text, content='archive_document', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS archive_document_fts_insert AFTER INSERT ON archive_document "
    "BEGIN INSERT INTO archive_document_fts(rowid, search_text) "
    "VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS archive_document_fts_delete AFTER DELETE ON archive_document "
    "BEGIN INSERT INTO archive_document_fts(archive_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS archive_document_fts_update AFTER UPDATE ON archive_document "
    "BEGIN INSERT INTO archive_document_fts(archive_document_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO archive_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO archive_document_fts(archive_document_fts) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS archive_document_fts_insert",
    "DROP TRIGGER IF EXISTS archive_document_fts_delete",
    "DROP TRIGGER IF EXISTS archive_document_fts_update",
    "DROP TABLE IF EXISTS archive_document_fts",
)
POSTGRES_CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS archive_document_search_trgm "
    "ON archive_document USING gin (search_text gin_trgm_ops)",
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS archive_document_search_trgm",)


def _run(schema_editor, sqlite, postgres):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite, "postgresql": postgres}.get(vendor, ())
    for statement in statements:
        schema_editor.execute(statement)


def search_index_create(apps, schema_editor):
    _run(schema_editor, SQLITE_CREATE, POSTGRES_CREATE)


def search_index_drop(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_default_catalogue")]

    operations = [migrations.RunPython(search_index_create, search_index_drop)]
