"""Engine and schema: the database URL, SQLite settings, Alembic upgrade, transactions,
errors, and the value helpers (hashing, normalising, dates) the other modules share.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from analysis.record import SessionRecord
from analysis.text import clean

ENV_DATABASE_URL = "SANGKHRO_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "data" / "sangkhro.db"
MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"

DEFAULT_PROGRAMME = "โครงการทั่วไป"
"""Programme name used when the importer names none ("general programme")."""

MAX_TEXT_CHARS = 20_000_000
"""Longest text `import_text` accepts (characters); files are limited in bytes by `ingest`."""

MAX_NAME_CHARS = 200
"""Longest programme name and longest `by` (who corrected/reviewed)."""

SQLITE_BUSY_TIMEOUT_S = 120
"""How long a SQLite writer waits for another writer's transaction (one file, one re-extract
batch) before it gives up; writers queue instead of failing."""
WRITE_OPTION = "sangkhro_write"
WRITE_ATTEMPTS = 5
"""A write transaction on PostgreSQL that collides with a concurrent one (the same new agency
inserted twice, a deadlock) is run again, up to this many times in all."""

ORIGIN_TEXT = "text"
ORIGIN_STRUCTURED = "structured"
STRUCTURED_VERSION = "structured"
"""`extractor_version` of sessions whose fields came from a table, not from the extractor."""

EXPORT_FORMAT = "sangkhro.session"
"""`format` of each line of the JSONL export (`export_sessions`), read back by `import_exported`."""
EXPORT_FORMAT_VERSION = 1

# Fields of the record a person may correct, and the Python types their values take.
SCALAR_TEXT_FIELDS = ("title", "venue", "province", "time_range")
DATE_FIELDS = ("session_date", "end_date")
LIST_FIELDS = (
    "agencies",
    "turns",
    "recommendations",
    "themes",
    "agencies_canonical",
    "recommendation_categories",
)
CORRECTABLE_FIELDS = (
    "kind",
    *SCALAR_TEXT_FIELDS,
    *DATE_FIELDS,
    "participant_count",
    *LIST_FIELDS,
)


class StoreError(ValueError):
    """A request the store cannot carry out; the message says why and what to do (Thai, English)."""


class SessionNotFound(StoreError, LookupError):
    """No session with that id."""


# ----------------------------------------------------------------------------- engine


def default_database_url() -> str:
    """``sqlite:///<repo>/data/sangkhro.db``: works with no set-up."""
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``$SANGKHRO_DATABASE_URL``, else the SQLite default.

    ``postgresql://`` and ``postgres://`` URLs are given the psycopg 3 driver.
    """
    url = (url or os.environ.get(ENV_DATABASE_URL) or "").strip() or default_database_url()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin), so that reads and writes of one
    # transaction are one SQLite transaction and SAVEPOINT works.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted personal data is overwritten, not left
    cursor.execute("PRAGMA journal_mode=WAL")  # in-memory databases answer "memory": fine
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Programme-wide reads scan whole tables once: the OS page cache serves them. A memory map
    # would put every page read into the process's resident memory (up to its size) and a large
    # private cache is held per connection, so both stay small: at 10,000 sessions this took a
    # CLI report's peak from 495 to 345 MB for the same CPU time (bench/export.py).
    cursor.execute("PRAGMA cache_size=-16384")  # 16 MiB per connection
    cursor.execute("PRAGMA mmap_size=0")
    cursor.close()


def _postgres_settings(dbapi_connection, _record) -> None:
    # The dashboard's questions are short aggregates: PostgreSQL's JIT compiler spent 2.0 s of a
    # 2.3 s search count over 10,000 sessions compiling it (0.2 s without).
    # Nor do they gain from parallel workers: a page asks its questions side by side
    # (`pages._common.prefetch`), several people read at once, and a parallel plan of a question
    # here builds the same hash of every session's agencies in each of its workers. At 100,000
    # sessions on 2 cores the Agencies page's questions took 3.3 s with them, 2.1 s without.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.autocommit = autocommit


def _sqlite_begin(connection) -> None:
    # A write transaction takes SQLite's write lock up front (BEGIN IMMEDIATE), waiting up to the
    # busy timeout for it. A deferred BEGIN would read first and then fail at once with "database
    # is locked" when it tries to write while another writer holds the lock: SQLite cannot wait
    # there, because the snapshot it read from is already stale.
    write = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def without_nul(value):
    """`value` with every NUL character removed from its strings (lists and dicts walked):
    PostgreSQL refuses NUL in text and JSON, so the store drops it on every backend alike and a
    SQLite store can always move to PostgreSQL. ``without_nul({"a": ["x\\x00y"]})`` →
    ``{"a": ["xy"]}``."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list | tuple):
        return type(value)(without_nul(v) for v in value)
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


def _json_without_nul(value) -> str:
    text = json.dumps(value)
    # json writes a NUL as \u0000: only a value holding one is walked (rare; walking every
    # record cost the importing process more than writing it)
    return json.dumps(without_nul(value)) if "\\u0000" in text else text


def _nul_free(parameters) -> bool:
    """True when no string among one statement's parameters holds a NUL (a nested value is
    not looked into: False, so that `without_nul` walks it)."""
    values = parameters.values() if type(parameters) is dict else parameters
    for value in values:
        kind = type(value)  # not isinstance: this runs for every row written
        if kind is str:
            if "\x00" in value:
                return False
        elif kind is list or kind is tuple or kind is dict or isinstance(value, str):
            return False
    return True


def _strip_nul_parameters(conn, cursor, statement, parameters, context, executemany):
    """The last guard at the store's boundary: no NUL reaches the database in any parameter."""
    if executemany and isinstance(parameters, list):
        if all(_nul_free(p) for p in parameters):
            return statement, parameters
        return statement, [without_nul(p) for p in parameters]
    if isinstance(parameters, list | tuple | dict) and _nul_free(parameters):
        return statement, parameters
    return statement, without_nul(parameters)


def _create_engine(url: str) -> Engine:
    """An engine for `url` with the SQLite settings applied; no migrations. On every backend
    NUL characters are dropped from what is written (`without_nul`)."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = sa.create_engine(url, pool_pre_ping=True, json_serializer=_json_without_nul)
        sa.event.listen(engine, "before_cursor_execute", _strip_nul_parameters, retval=True)
        if parsed.get_backend_name() == "postgresql":
            sa.event.listen(engine, "connect", _postgres_settings)
        return engine
    kwargs: dict[str, Any] = {"json_serializer": _json_without_nul}
    if parsed.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one connection, or every connection is a new database
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
    engine = sa.create_engine(url, **kwargs)
    sa.event.listen(engine, "before_cursor_execute", _strip_nul_parameters, retval=True)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (`analysis/migrations`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Several processes may start on a new store at once (importers, the dashboard): the
    # migration takes the write lock first (SQLite) or an advisory lock (PostgreSQL), so they
    # run it one after the other and the later ones find the schema at head.
    with write_transaction(engine) as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(7011)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def get_engine(url: str | None = None) -> Engine:
    """Engine for the store at `url` (see `database_url`), its schema migrated to head.

    A new SQLite file (and its folder) is created on first use. Create one engine per process
    and keep it (the dashboard caches it with st.cache_resource). Raises StoreError, with what
    to do, when the database cannot be reached.
    """
    engine = _create_engine(database_url(url))
    try:
        upgrade(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"เชื่อมต่อฐานข้อมูลไม่ได้ ({shown}) ตรวจ {ENV_DATABASE_URL} และว่าเซิร์ฟเวอร์ทำงานอยู่ "
            f"(cannot connect to the database {shown}: check {ENV_DATABASE_URL}; for a local "
            f"PostgreSQL run scripts/start_postgres.sh): {exc.orig}"
        ) from exc
    return engine


def analyze(engine: Engine) -> None:
    """Refresh the database's statistics after a large change, so that its query planner picks
    the dashboard's covering indexes (`analysis.store.questions`). A few seconds at 100,000
    sessions.

    SQLite: ANALYZE. PostgreSQL: VACUUM (ANALYZE) of the store's own tables (not of every schema
    in the database), which also marks the new rows' pages all-visible, so that a question
    reads its columns from an index alone instead of visiting each row; autovacuum would get
    there too, in its own time."""
    if engine.dialect.name != "postgresql":
        with _write_tx(engine) as conn:
            conn.execute(sa.text("ANALYZE"))
        return
    from analysis import models as m

    preparer = engine.dialect.identifier_preparer
    tables = ", ".join(preparer.quote(t.name) for t in m.metadata.sorted_tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"VACUUM (ANALYZE) {tables}"))


@contextmanager
def _tx(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection in a transaction: the caller's, or a new one committed on success."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as connection:
            yield connection


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success: on SQLite it holds the write
    lock from the start (BEGIN IMMEDIATE), so concurrent writers queue for the busy timeout
    instead of failing with "database is locked"."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def _write_tx(bind: Engine | Connection) -> Iterator[Connection]:
    """`_tx` for writes: the caller's transaction, or a new `write_transaction`."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with write_transaction(bind) as connection:
            yield connection


def run_write(engine: Engine, work):
    """`work(connection)` in one `write_transaction`, run again (from the start, in a new
    transaction) when it collides with a concurrent writer; returns what `work` returns.

    Collisions: PostgreSQL's unique/foreign-key violations between two transactions that insert
    the same new agency or programme, deadlocks and serialisation failures; SQLite's "database
    is locked" once the busy timeout has passed. After WRITE_ATTEMPTS the error is raised."""
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with write_transaction(engine) as connection:
                return work(connection)
        except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:
            if attempt == WRITE_ATTEMPTS or not _transient(exc):
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def _transient(exc: sa.exc.DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    if code is not None:  # PostgreSQL: unique, foreign key, serialisation, deadlock
        return code in ("23505", "23503", "40001", "40P01")
    return "locked" in str(exc.orig) or "busy" in str(exc.orig)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ----------------------------------------------------------------------------- values


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def normalise_for_hash(text: str) -> str:
    """The form of a text that decides whether two imports are the same record.

    Decoding differences vanish (line ends, BOM, zero-width characters, Unicode composition),
    and so do differences of layout only: runs of spaces, blank lines, leading/trailing space.
    """
    text = unicodedata.normalize("NFC", clean(text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """SHA-256 (hex) of `normalise_for_hash(text)`."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def _parse_date(value) -> date | None:
    """A calendar date from an ISO string/date, read as `analysis.tables` reads it; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:  # the common case, an ISO date: pandas' parser costs ~1 ms a call
            return date.fromisoformat(value)
        except ValueError:
            pass
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date()


def _parse_datetime(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else (value.astimezone(UTC).replace(tzinfo=None))
        )
    parsed = datetime.fromisoformat(str(value))
    return _parse_datetime(parsed)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _text_or_none(value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def normalise_record(d: dict | SessionRecord | None) -> dict:
    """A record dict in the exact shape of `SessionRecord.to_dict()`, whatever came in.

    Tolerant of hand-made and older records: a non-numeric head-count becomes None.
    """
    if isinstance(d, SessionRecord):
        return d.to_dict()
    d = dict(d or {})
    count = d.get("participant_count")
    try:
        d["participant_count"] = None if count in (None, "") else int(count)
    except (TypeError, ValueError):
        d["participant_count"] = None
    for key in ("agencies", "recommendations", "themes"):
        d[key] = [str(v) for v in d.get(key) or [] if v is not None]
    d["turns"] = [t for t in d.get("turns") or [] if isinstance(t, dict)]
    d["agencies_canonical"] = [a for a in d.get("agencies_canonical") or [] if isinstance(a, dict)]
    d["recommendation_categories"] = [
        [str(c) for c in cats or []] for cats in d.get("recommendation_categories") or []
    ]
    return SessionRecord.from_dict(d).to_dict()


def run_extractor(text: str) -> dict:
    """The current extractor's record for `text`, as a dict (tests replace this function)."""
    from analysis.extract import EXTRACTOR_VERSION, extract

    record = normalise_record(extract(text))
    record["extractor_version"] = record.get("extractor_version") or EXTRACTOR_VERSION
    return record


class _InProcess:
    """One worker: `submit` runs the extractor at once, here, through the package
    (``store.run_extractor``, so a test's replacement applies)."""

    def submit(self, text: str) -> Future:
        from analysis import store

        future: Future = Future()
        try:
            future.set_result(store.run_extractor(text))
        except Exception as exc:  # the caller reads it from the future, as from a worker's
            future.set_exception(exc)
        return future

    def submit_many(self, texts: list[str]) -> list[Future]:
        return [self.submit(text) for text in texts]


TASK_TEXTS = 8  # texts sent to a worker process in one task, at most ...
TASK_CHARS = 256 * 1024  # ... and characters: sending each text alone cost the sender 2.5x more


def _extract_each(texts: list[str]) -> list[tuple[bool, Any]]:
    """In a worker: (True, record) or (False, the exception) for each text."""
    out: list[tuple[bool, Any]] = []
    for text in texts:
        try:
            out.append((True, run_extractor(text)))
        except Exception as exc:  # one bad text must not take the others of its task with it
            try:
                pickle.dumps(exc)
            except Exception:  # it must travel back to the parent
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            out.append((False, exc))
    return out


class _Slot:
    """One text's place in a task sent to a worker: `result()` waits for the task and gives the
    text's record, or raises what the extractor raised on it (or why the worker died). A task's
    texts share its one Future: a Future per text, settled by a callback in the executor's
    thread, cost the writing process more than sending the texts."""

    __slots__ = ("index", "task")

    def __init__(self, task: Future, index: int) -> None:
        self.task, self.index = task, index

    def result(self) -> Any:
        ok, value = self.task.result()[self.index]
        if ok:
            return value
        raise value


class _WorkerProcesses:
    def __init__(self, executor: ProcessPoolExecutor) -> None:
        self.executor = executor

    def submit(self, text: str) -> _Slot:
        return self.submit_many([text])[0]

    def submit_many(self, texts: list[str]) -> list[_Slot]:
        """A `_Slot` per text; the texts go to the workers a few to a task (TASK_TEXTS,
        TASK_CHARS), in order."""
        slots: list[_Slot] = []
        task: list[str] = []
        size = 0
        for text in texts:
            if task and (len(task) == TASK_TEXTS or size + len(text) > TASK_CHARS):
                slots.extend(self._send(task))
                task, size = [], 0
            task.append(text)
            size += len(text)
        if task:
            slots.extend(self._send(task))
        return slots

    def _send(self, task: list[str]) -> list[_Slot]:
        sent = self.executor.submit(_extract_each, task)
        return [_Slot(sent, i) for i in range(len(task))]


def default_workers() -> int:
    """Extraction processes to use by default: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


WORKER_NICENESS = 10


def _behind_the_writer() -> None:
    """In a worker: yield the CPU to the process that writes. It is the one that sets the pace
    (every text passes through it, in order); the workers are usually ahead of it, so when the
    cores are all busy the writer runs first and the workers take what is left."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: run at the same priority
        pass


@contextmanager
def extraction_pool(workers: int = 1) -> Iterator[_InProcess | _WorkerProcesses]:
    """Where `run_extractor` runs: ``pool.submit(text)`` gives a Future of the record.

    With ``workers > 1``, in that many worker processes, so that import and re-extraction use
    every core; the caller keeps all database writes in its own process, in order. With one
    worker, in this process, at once (no processes started: the dashboard and tests).
    """
    if workers <= 1:
        yield _InProcess()
        return
    # load the extractor's lexicon, codebook and compiled patterns once, here: forked workers
    # inherit them instead of each building them again
    run_extractor("วันที่ 1 มกราคม 2549 ณ ศาลาประชาคม")
    # and keep the garbage collector off those objects in the workers: its passes would write
    # to every inherited object and so copy each page of them into each worker
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_behind_the_writer) as executor:
            yield _WorkerProcesses(executor)
    finally:
        gc.unfreeze()


def _check_name(value: str | None, what_th: str, what_en: str) -> str:
    value = (value or "").strip()
    if not value:
        raise StoreError(f"ต้องระบุ{what_th} (give the {what_en})")
    if len(value) > MAX_NAME_CHARS:
        raise StoreError(
            f"{what_th}ยาวเกิน {MAX_NAME_CHARS} ตัวอักษร โปรดย่อ "
            f"({what_en} is longer than {MAX_NAME_CHARS} characters: shorten it)"
        )
    return value


def _check_by(by: str | None) -> str:
    return _check_name(by, "ชื่อผู้ทำรายการ", "name of the person making the change (by=...)")


def _programme_name(programme: str | None) -> str:
    return _check_name(programme or DEFAULT_PROGRAMME, "ชื่อโครงการ", "programme name")
