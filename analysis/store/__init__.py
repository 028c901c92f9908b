"""The programme store: SQLite by default, PostgreSQL for a shared server; same code, same tests.

What was imported, what the extractor produced and what people corrected are kept apart (see
`analysis.models`): re-running a newer extractor replaces the extraction and keeps every
correction. The *effective* record (extraction with the latest correction of each field applied)
is materialised into plain tables after every change, so SQL users see corrected data, and is
what `load_effective_sessions` / `load_tables` return (the contract of `analysis.tables`).

Every public function takes an Engine (and runs in its own transaction) or a Connection (and
runs inside the caller's transaction: `analysis.ingest` imports one file in one transaction).
SQL is built with SQLAlchemy Core only; no string-formatted SQL.

One module per concern; import the public API from here (``from analysis import store``):

- `engine`: database URL, SQLite settings, Alembic upgrade, transactions, errors, value helpers
- `effective`: the effective record, validation of corrections, materialising it into tables
- `importing`: import_text(s), import_record, import_exported, duplicates
- `edits`: corrections, review marks, follow-ups, re-extraction, deletion
- `loading`: whole programmes for the dashboard (load_tables, load_effective_sessions, ...)
- `sessions`: one session, the review queue, the JSONL export, counts and histories
- `users`: users and their roles (admins only); `audit`: the audit trail (see `analysis.auth`)

`run_extractor` and `_materialise` are called through this package (``store.run_extractor``),
not imported by name, so that a test replacing them here (``monkeypatch.setattr(store, ...)``)
replaces them for every module.
"""

from analysis.store.audit import audit_trail, export_audit, record_export
from analysis.store.edits import (
    correct,
    delete_session,
    mark_reviewed,
    purge_deleted,
    re_extract,
    set_followup,
)
from analysis.store.effective import _materialise as _materialise
from analysis.store.effective import effective_record
from analysis.store.engine import (
    CORRECTABLE_FIELDS,
    DATE_FIELDS,
    DEFAULT_PROGRAMME,
    DEFAULT_SQLITE_PATH,
    ENV_DATABASE_URL,
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    LIST_FIELDS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MIGRATIONS_DIR,
    ORIGIN_STRUCTURED,
    ORIGIN_TEXT,
    REPO_ROOT,
    SCALAR_TEXT_FIELDS,
    STRUCTURED_VERSION,
    SessionNotFound,
    StoreError,
    analyze,
    content_hash,
    database_url,
    default_database_url,
    default_workers,
    extraction_pool,
    get_engine,
    normalise_for_hash,
    normalise_record,
    run_extractor,
    run_write,
    upgrade,
    write_transaction,
)
from analysis.store.engine import _create_engine as _create_engine
from analysis.store.importing import (
    ImportResult,
    NewText,
    find_duplicate,
    find_duplicates,
    import_exported,
    import_record,
    import_text,
    import_texts,
    structured_text,
)
from analysis.store.loading import (
    list_programmes,
    load_effective_sessions,
    load_tables,
    load_tables_from_records,
)
from analysis.store.sessions import (
    correction_history,
    count_sessions,
    export_sessions,
    get_session,
    raw_texts,
    review_queue,
)
from analysis.store.users import add_user, list_users, remove_user, set_role, user_names

__all__ = [
    "analyze",
    "run_write",
    "write_transaction",
    "purge_deleted",
    "record_export",
    "user_names",
    "set_role",
    "remove_user",
    "list_users",
    "add_user",
    "export_audit",
    "audit_trail",
    "CORRECTABLE_FIELDS",
    "DATE_FIELDS",
    "DEFAULT_PROGRAMME",
    "DEFAULT_SQLITE_PATH",
    "ENV_DATABASE_URL",
    "EXPORT_FORMAT",
    "EXPORT_FORMAT_VERSION",
    "LIST_FIELDS",
    "MAX_NAME_CHARS",
    "MAX_TEXT_CHARS",
    "MIGRATIONS_DIR",
    "ORIGIN_STRUCTURED",
    "ORIGIN_TEXT",
    "REPO_ROOT",
    "SCALAR_TEXT_FIELDS",
    "STRUCTURED_VERSION",
    "ImportResult",
    "SessionNotFound",
    "StoreError",
    "content_hash",
    "correct",
    "correction_history",
    "count_sessions",
    "database_url",
    "default_database_url",
    "default_workers",
    "delete_session",
    "effective_record",
    "export_sessions",
    "extraction_pool",
    "find_duplicate",
    "find_duplicates",
    "get_engine",
    "get_session",
    "import_exported",
    "import_record",
    "import_text",
    "import_texts",
    "NewText",
    "list_programmes",
    "load_effective_sessions",
    "load_tables",
    "load_tables_from_records",
    "mark_reviewed",
    "normalise_for_hash",
    "normalise_record",
    "raw_texts",
    "re_extract",
    "review_queue",
    "run_extractor",
    "set_followup",
    "structured_text",
    "upgrade",
]
