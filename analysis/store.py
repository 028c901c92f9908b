"""The programme store: SQLite by default, PostgreSQL for a shared server; same code, same tests.

What was imported, what the extractor produced and what people corrected are kept apart (see
`analysis.models`): re-running a newer extractor replaces the extraction and keeps every
correction. The *effective* record (extraction with the latest correction of each field applied)
is materialised into plain tables after every change, so SQL users see corrected data, and is
what `load_effective_sessions` / `load_tables` return (the contract of `analysis.tables`).

Every public function takes an Engine (and runs in its own transaction) or a Connection (and
runs inside the caller's transaction: `analysis.ingest` imports one file in one transaction).
SQL is built with SQLAlchemy Core only; no string-formatted SQL.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from analysis import gazetteer
from analysis import models as m
from analysis.record import KINDS, SessionRecord
from analysis.tables import (
    AGENCY_COLUMNS,
    FOLLOWUP_STATUSES,
    RECOMMENDATION_CATEGORY_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RECORD_KINDS,
    SESSION_COLUMNS,
    THEME_COLUMNS,
    TURN_COLUMNS,
    ProgrammeTables,
    tables_from_sessions,
)
from analysis.text import clean

ENV_DATABASE_URL = "SANGKHRO_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "data" / "sangkhro.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

DEFAULT_PROGRAMME = "โครงการทั่วไป"
"""Programme name used when the importer names none ("general programme")."""

MAX_TEXT_CHARS = 20_000_000
"""Longest text `import_text` accepts (characters); files are limited in bytes by `ingest`."""

MAX_NAME_CHARS = 200
"""Longest programme name and longest `by` (who corrected/reviewed)."""

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
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted personal data is overwritten, not left
    cursor.execute("PRAGMA journal_mode=WAL")  # in-memory databases answer "memory": fine
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: programme-wide reads
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _create_engine(url: str) -> Engine:
    """An engine for `url` with the SQLite settings applied; no migrations."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    kwargs: dict[str, Any] = {}
    if parsed.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one connection, or every connection is a new database
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
    engine = sa.create_engine(url, **kwargs)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (`analysis/migrations`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
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


@contextmanager
def _tx(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection in a transaction: the caller's, or a new one committed on success."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as connection:
            yield connection


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


# ----------------------------------------------------------------------------- effective record


def _latest_corrections(rows) -> dict[str, Any]:
    """{field: value} of the latest correction per field; rows in (corrected_at, id) order."""
    latest: dict[str, Any] = {}
    for row in rows:
        latest[row.field] = row.value
    return latest


def effective_record(extracted: dict, corrections: dict[str, Any]) -> dict:
    """The extraction with corrections (latest value per field) applied.

    A corrected agency list keeps the extractor's gazetteer resolution for names it already had
    (or takes the dicts given in the correction); a corrected recommendation list keeps the
    extractor's categories for texts it already had (or takes those given).
    """
    rec = dict(extracted)
    if not corrections:
        return rec
    for field, value in corrections.items():
        if field not in ("agencies", "recommendations"):
            rec[field] = value
    if "agencies" in corrections:
        given = {a["as_written"]: a for a in corrections["agencies"] if isinstance(a, dict)}
        known = {a.get("as_written"): a for a in rec.get("agencies_canonical") or []}
        names = [a["as_written"] if isinstance(a, dict) else a for a in corrections["agencies"]]
        rec["agencies"] = names
        rec["agencies_canonical"] = [
            given.get(n) or known[n] for n in names if n in given or n in known
        ]
    if "recommendations" in corrections:
        old_cats: dict[str, list] = {}
        for text, cats in zip(
            extracted.get("recommendations") or [],
            rec.get("recommendation_categories") or [],
            strict=False,
        ):
            old_cats.setdefault(text, list(cats))
        texts, cats = [], []
        for r in corrections["recommendations"]:
            if isinstance(r, dict):
                texts.append(r["text"])
                cats.append(
                    list(r["categories"]) if "categories" in r else old_cats.get(r["text"], [])
                )
            else:
                texts.append(r)
                cats.append(old_cats.get(r, []))
        rec["recommendations"] = texts
        rec["recommendation_categories"] = cats
    return rec


def _validate_correction(field: str, value):
    """The value to store for a correction of `field`, or StoreError saying what is expected."""
    if field not in CORRECTABLE_FIELDS:
        raise StoreError(
            f"แก้ช่อง “{field}” ไม่ได้ ช่องที่แก้ได้: {', '.join(CORRECTABLE_FIELDS)} "
            f"(field “{field}” cannot be corrected; use one of the fields listed)"
        )

    def bad(expect_th: str, expect_en: str):
        return StoreError(
            f"ค่าของ {field} ไม่ถูกต้อง: ต้องเป็น{expect_th} ({field}: expected {expect_en}, "
            f"got {value!r})"
        )

    if field == "kind":
        if value not in KINDS:
            raise bad(" " + " / ".join(KINDS), " / ".join(KINDS))
        return value
    if field in SCALAR_TEXT_FIELDS:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise bad("ข้อความหรือค่าว่าง", "a string or None")
        value = value.strip()
        if field == "time_range" and not re.fullmatch(r"\d{2}:\d{2}-\d{2}:\d{2}", value):
            raise bad("รูปแบบ HH:MM-HH:MM เช่น 09:00-12:00", "HH:MM-HH:MM, e.g. 09:00-12:00")
        return value
    if field in DATE_FIELDS:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise bad("วันที่แบบ ค.ศ. YYYY-MM-DD เช่น 2005-11-17", "a Gregorian date YYYY-MM-DD")
    if field == "participant_count":
        if value is None or value == "":
            return None
        try:
            count = int(str(value).strip().translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
        except ValueError:
            raise bad("จำนวนเต็มไม่ติดลบ", "a whole number >= 0") from None
        if count < 0 or isinstance(value, float) and value != count:
            raise bad("จำนวนเต็มไม่ติดลบ", "a whole number >= 0")
        return count
    # list fields
    if value is None:
        value = []
    if not isinstance(value, list | tuple):
        raise bad("รายการ (list)", "a list")
    if field == "themes":
        if not all(isinstance(v, str) for v in value):
            raise bad("รายการข้อความ", "a list of strings")
        return [v.strip() for v in value if v.strip()]
    if field == "agencies":
        out = []
        for v in value:
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
            elif isinstance(v, dict) and isinstance(v.get("as_written"), str):
                out.append(_canonical_entry(v))
            else:
                raise bad("รายการชื่อหน่วยงาน", "a list of agency names (or {as_written, ...})")
        return out
    if field == "agencies_canonical":
        if not all(isinstance(v, dict) and isinstance(v.get("as_written"), str) for v in value):
            raise bad(
                "รายการ {as_written, canonical, ...}", "a list of {as_written, canonical, ...}"
            )
        return [_canonical_entry(v) for v in value]
    if field == "recommendations":
        out = []
        for v in value:
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
            elif isinstance(v, dict) and isinstance(v.get("text"), str) and v["text"].strip():
                entry = {"text": v["text"].strip()}
                if "categories" in v:
                    entry["categories"] = [str(c) for c in v["categories"] or []]
                out.append(entry)
            else:
                raise bad("รายการข้อความข้อเสนอแนะ", "a list of recommendation texts")
        return out
    if field == "recommendation_categories":
        if not all(isinstance(v, list | tuple) for v in value):
            raise bad("รายการของรายการรหัสหมวด", "a list of lists of category ids")
        return [[str(c) for c in v] for v in value]
    # turns
    out = []
    for v in value:
        if not (isinstance(v, dict) and isinstance(v.get("text"), str)):
            raise bad("รายการ {speaker, agency, text}", "a list of {speaker, agency, text}")
        turn = {
            "speaker": _text_or_none(v.get("speaker")) or "",
            "agency": _text_or_none(v.get("agency")) or None,
            "text": v["text"],
            "speaker_role": _text_or_none(v.get("speaker_role")) or "unknown",
        }
        if isinstance(v.get("start"), int):
            turn["start"] = v["start"]
        out.append(turn)
    return out


def _canonical_entry(v: dict) -> dict:
    name = v["as_written"].strip()
    return {
        "as_written": name,
        "canonical": _text_or_none(v.get("canonical")) or name,
        "abbreviation": _text_or_none(v.get("abbreviation")),
        "type": _text_or_none(v.get("type")) or "unknown",
    }


# ----------------------------------------------------------------------------- materialising


def _agency_ids(conn: Connection, entries: list[tuple[str, str | None, str]]) -> list[int]:
    """Ids in the `agencies` table for (canonical, abbreviation, type) entries, adding the
    missing ones and completing what an earlier resolution did not know."""
    t = m.agencies
    keys = [hashlib.sha256(canonical.encode("utf-8")).hexdigest() for canonical, _, _ in entries]
    known = {
        row.canonical_sha256: row
        for row in conn.execute(
            sa.select(t.c.id, t.c.canonical_sha256, t.c.abbreviation, t.c.type).where(
                t.c.canonical_sha256.in_(set(keys))
            )
        )
    }
    ids: dict[str, int] = {}
    for key, (canonical, abbreviation, type_) in zip(keys, entries, strict=True):
        if key in ids:
            continue
        row = known.get(key)
        if row is None:
            ids[key] = conn.execute(
                sa.insert(t).values(
                    canonical=canonical, canonical_sha256=key, abbreviation=abbreviation, type=type_
                )
            ).inserted_primary_key[0]
            continue
        ids[key] = row.id
        if (abbreviation and abbreviation != row.abbreviation) or (
            type_ != "unknown" and type_ != row.type
        ):
            conn.execute(
                sa.update(t)
                .where(t.c.id == row.id)
                .values(abbreviation=abbreviation or row.abbreviation, type=type_)
            )
    return [ids[key] for key in keys]


def _followups_by_text(conn: Connection, session_id: int) -> dict[str, Any]:
    f = m.followups
    rows = conn.execute(sa.select(f).where(f.c.session_id == session_id).order_by(f.c.id))
    return {row.recommendation_text: row for row in rows}


def _materialise(
    conn: Connection, session_id: int, rec: dict, followups: dict, fresh: bool = False
) -> None:
    """Rewrite the record columns of `sessions` and the long tables from the effective record.

    Each value is derived exactly as `analysis.tables.tables_from_sessions` derives it, so the
    SQL path of `load_tables` returns the same frames.
    """
    recs = rec.get("recommendations") or []
    turns = rec.get("turns") or []
    count = rec.get("participant_count")
    conn.execute(
        sa.update(m.sessions)
        .where(m.sessions.c.id == session_id)
        .values(
            kind=rec.get("kind") or "other",
            title=_text_or_none(rec.get("title")),
            session_date=_parse_date(rec.get("session_date")),
            end_date=_parse_date(rec.get("end_date")),
            time_range=_text_or_none(rec.get("time_range")),
            venue=_text_or_none(rec.get("venue")),
            province=_text_or_none(rec.get("province")),
            participant_count=int(count) if count is not None else None,
            n_turns=len(turns),
            n_recommendations=len(recs),
            updated_at=_now(),
        )
    )
    if not fresh:  # a new session has no rows yet
        for table in m.MATERIALISED_TABLES:
            conn.execute(sa.delete(table).where(table.c.session_id == session_id))

    canon = {a.get("as_written"): a for a in rec.get("agencies_canonical") or []}
    agency_rows = []
    for seq, name in enumerate(rec.get("agencies") or []):
        c = canon.get(name) or gazetteer.resolve(name)
        agency_rows.append(
            {
                "session_id": session_id,
                "seq": seq,
                "as_written": name,
                "canonical": c.get("canonical") or name,
                "abbreviation": c.get("abbreviation"),
                "type": c.get("type") or "unknown",
            }
        )
    if agency_rows:
        ids = _agency_ids(
            conn, [(a["canonical"], a["abbreviation"], a["type"]) for a in agency_rows]
        )
        for row, agency_id in zip(agency_rows, ids, strict=True):
            row["agency_id"] = agency_id
        conn.execute(sa.insert(m.session_agencies), agency_rows)

    turn_rows = []
    for seq, t in enumerate(turns):
        agency = t.get("agency")
        text = t.get("text") or ""
        turn_rows.append(
            {
                "session_id": session_id,
                "seq": seq,
                "speaker": t.get("speaker"),
                "agency": agency,
                "agency_canonical": (canon.get(agency) or {}).get("canonical") or agency,
                "speaker_role": t.get("speaker_role") or "unknown",
                "text": text,
                "chars": len(text),
                "start": t.get("start"),
            }
        )
    if turn_rows:
        conn.execute(sa.insert(m.turns), turn_rows)

    if recs:
        rec_rows = []
        for seq, text in enumerate(recs):
            f = followups.get(text)
            rec_rows.append(
                {
                    "session_id": session_id,
                    "seq": seq,
                    "text": text,
                    "status": f.status if f is not None else "proposed",
                    "owner_agency": f.owner_agency if f is not None else None,
                    "due_date": f.due_date if f is not None else None,
                    "note": f.note if f is not None else None,
                }
            )
        ids = (
            conn.execute(
                sa.insert(m.recommendations).returning(
                    m.recommendations.c.id, sort_by_parameter_order=True
                ),
                rec_rows,
            )
            .scalars()
            .all()
        )
        cats = rec.get("recommendation_categories") or []
        cat_rows = [
            {
                "recommendation_id": rid,
                "position": pos,
                "session_id": session_id,
                "seq": seq,
                "category": cat,
            }
            for seq, rid in enumerate(ids)
            for pos, cat in enumerate(cats[seq] if seq < len(cats) else ())
        ]
        if cat_rows:
            conn.execute(sa.insert(m.recommendation_categories), cat_rows)

    themes = [
        {"session_id": session_id, "seq": seq, "theme": th}
        for seq, th in enumerate(rec.get("themes") or [])
    ]
    if themes:
        conn.execute(sa.insert(m.themes), themes)


def _corrections_rows(conn: Connection, session_ids=None):
    c = m.corrections
    query = sa.select(c).order_by(c.c.session_id, c.c.corrected_at, c.c.id)
    if session_ids is not None:
        query = query.where(c.c.session_id.in_(session_ids))
    return conn.execute(query).all()


def _refresh(conn: Connection, session_id: int, fresh: bool = False) -> dict:
    """Recompute the effective record of one session and materialise it; returns it."""
    extracted = conn.execute(
        sa.select(m.sessions.c.extracted).where(m.sessions.c.id == session_id)
    ).scalar_one()
    rec = effective_record(extracted, _latest_corrections(_corrections_rows(conn, [session_id])))
    _materialise(conn, session_id, rec, _followups_by_text(conn, session_id), fresh=fresh)
    return rec


# ----------------------------------------------------------------------------- importing


@dataclass(frozen=True)
class ImportResult:
    """What became of one imported text: `status` "imported" or "duplicate"."""

    status: str
    session_id: int
    source_name: str
    programme: str
    message: str

    @property
    def imported(self) -> bool:
        return self.status == "imported"


def _programme_id(conn: Connection, name: str) -> int:
    p = m.programmes
    found = conn.execute(sa.select(p.c.id).where(p.c.name == name)).scalar()
    if found is not None:
        return found
    return conn.execute(sa.insert(p).values(name=name, created_at=_now())).inserted_primary_key[0]


def find_duplicate(bind: Engine | Connection, text: str) -> dict | None:
    """The stored session with the same normalised text, as {session_id, programme,
    source_name}, or None."""
    with _tx(bind) as conn:
        return _find_by_hash(conn, content_hash(text))


def _find_by_hash(conn: Connection, digest: str) -> dict | None:
    s, p = m.sessions, m.programmes
    row = conn.execute(
        sa.select(s.c.id, s.c.source_name, p.c.name)
        .join(p, p.c.id == s.c.programme_id)
        .where(s.c.content_sha256 == digest)
    ).first()
    if row is None:
        return None
    return {"session_id": row.id, "programme": row.name, "source_name": row.source_name}


def _duplicate(existing: dict, source_name: str) -> ImportResult:
    sid, prog, src = existing["session_id"], existing["programme"], existing["source_name"]
    return ImportResult(
        status="duplicate",
        session_id=sid,
        source_name=source_name,
        programme=prog,
        message=(
            f"ซ้ำ ไม่ได้เพิ่ม: “{source_name}” มีข้อความเดียวกับบันทึกหมายเลข {sid} “{src}” "
            f"ในโครงการ “{prog}” อยู่แล้ว (duplicate, nothing added: same text as session {sid} "
            f"“{src}” in programme “{prog}”)"
        ),
    )


def _imported(sid: int, source_name: str, programme: str) -> ImportResult:
    return ImportResult(
        status="imported",
        session_id=sid,
        source_name=source_name,
        programme=programme,
        message=(
            f"นำเข้าแล้ว: “{source_name}” เป็นบันทึกหมายเลข {sid} ในโครงการ “{programme}” "
            f"(imported as session {sid} in programme “{programme}”)"
        ),
    )


def _check_text(text: str) -> None:
    if not isinstance(text, str) or not normalise_for_hash(text):
        raise StoreError("ข้อความว่าง ไม่มีอะไรให้นำเข้า (empty text: paste or upload the record)")
    if len(text) > MAX_TEXT_CHARS:
        raise StoreError(
            f"ข้อความยาวเกิน {MAX_TEXT_CHARS:,} ตัวอักษร โปรดแยกเป็นหลายไฟล์ "
            f"(text longer than {MAX_TEXT_CHARS:,} characters: split it into several records)"
        )


def _insert_session(
    conn: Connection,
    *,
    programme: str,
    source_name: str,
    raw_text: str,
    source_text: str | None,
    digest: str,
    origin: str,
    extracted: dict,
    imported_at: datetime | None = None,
    reviewed_by: str | None = None,
    reviewed_at: datetime | None = None,
) -> int:
    now = _now()
    version = str(extracted.get("extractor_version") or "")[:50]
    return conn.execute(
        sa.insert(m.sessions).values(
            programme_id=_programme_id(conn, programme),
            source_name=source_name,
            raw_text=raw_text,
            source_text=source_text if source_text not in (None, raw_text) else None,
            content_sha256=digest,
            origin=origin,
            imported_at=imported_at or now,
            extractor_version=version,
            extracted=extracted,
            reviewed_by=reviewed_by,
            reviewed_at=reviewed_at,
            updated_at=now,
        )
    ).inserted_primary_key[0]


def import_text(
    bind: Engine | Connection,
    text: str,
    source_name: str,
    programme: str = DEFAULT_PROGRAMME,
    raw: str | None = None,
    *,
    extracted: dict | SessionRecord | None = None,
) -> ImportResult:
    """Store one decoded text with its extraction, unless the store already holds the same text.

    `text` is kept exactly as given (`raw_text`); `raw` is the source before decoding when the
    caller has it and it differs (e.g. HTML markup). The same text in any programme is a
    duplicate: nothing is added and the result says which session holds it. `extracted` lets a
    caller that already ran the extractor (outside the transaction) pass its record.
    """
    _check_text(text)
    programme = _programme_name(programme)
    source_name = (source_name or "").strip() or "(ไม่มีชื่อ untitled)"
    digest = content_hash(text)
    with _tx(bind) as conn:
        existing = _find_by_hash(conn, digest)
        if existing:
            return _duplicate(existing, source_name)
        record = normalise_record(extracted) if extracted is not None else run_extractor(text)
        sid = _insert_session(
            conn,
            programme=programme,
            source_name=source_name,
            raw_text=text,
            source_text=raw,
            digest=digest,
            origin=ORIGIN_TEXT,
            extracted=record,
        )
        _materialise(conn, sid, record, {}, fresh=True)
    return _imported(sid, source_name, programme)


def structured_text(record: dict) -> str:
    """A readable text for a session whose fields came from a table (its `raw_text`)."""
    lines = []
    for key in (
        "title",
        "kind",
        "session_date",
        "end_date",
        "time_range",
        "venue",
        "province",
        "participant_count",
    ):
        if record.get(key) not in (None, ""):
            lines.append(f"{key}: {record[key]}")
    for key in ("agencies", "recommendations", "themes"):
        for value in record.get(key) or []:
            lines.append(f"{key}: {value}")
    for turn in record.get("turns") or []:
        who = turn.get("speaker") or ""
        if turn.get("agency"):
            who += f" ({turn['agency']})"
        lines.append(f"{who}: {turn.get('text') or ''}")
    return "\n".join(lines)


def import_record(
    bind: Engine | Connection,
    record: dict,
    source_name: str,
    programme: str = DEFAULT_PROGRAMME,
) -> ImportResult:
    """Store a session whose fields were given already structured (a CSV/XLSX row).

    Its `raw_text` is the fields written out (`structured_text`); re-extraction leaves it alone.
    """
    record = normalise_record(record)
    record["extractor_version"] = STRUCTURED_VERSION
    text = structured_text(record)
    _check_text(text)
    programme = _programme_name(programme)
    digest = content_hash(text)
    with _tx(bind) as conn:
        existing = _find_by_hash(conn, digest)
        if existing:
            return _duplicate(existing, source_name)
        sid = _insert_session(
            conn,
            programme=programme,
            source_name=source_name,
            raw_text=text,
            source_text=None,
            digest=digest,
            origin=ORIGIN_STRUCTURED,
            extracted=record,
        )
        _materialise(conn, sid, record, {}, fresh=True)
    return _imported(sid, source_name, programme)


def import_exported(
    bind: Engine | Connection, data: dict, programme: str | None = None
) -> ImportResult:
    """Store one session from a line of the project's JSONL export (see `analysis.export`).

    Everything in the line is kept: extraction as it was, corrections and follow-ups with who and
    when, review state, import time. The programme is the line's unless `programme` is given.
    """
    raw_text = data.get("raw_text")
    _check_text(raw_text)
    programme = _programme_name(programme or data.get("programme"))
    source_name = str(data.get("source_name") or "(ไม่มีชื่อ untitled)")
    digest = content_hash(raw_text)
    extracted = normalise_record(data.get("extracted") or {})
    if data.get("extractor_version"):
        extracted["extractor_version"] = str(data["extractor_version"])
    origin = (
        data.get("origin")
        if data.get("origin") in (ORIGIN_TEXT, ORIGIN_STRUCTURED)
        else (ORIGIN_TEXT)
    )
    corrections = []
    for c in data.get("corrections") or []:
        corrections.append(
            {
                "field": c["field"],
                "value": _validate_correction(c["field"], c.get("value")),
                "corrected_by": _check_by(c.get("corrected_by")),
                "corrected_at": _parse_datetime(c.get("corrected_at")) or _now(),
            }
        )
    followup_rows = []
    for f in data.get("followups") or []:
        status = f.get("status") or "proposed"
        if status not in FOLLOWUP_STATUSES:
            raise StoreError(_status_error(status))
        followup_rows.append(
            {
                "recommendation_text": f["recommendation_text"],
                "status": status,
                "owner_agency": f.get("owner_agency"),
                "due_date": _parse_date(f.get("due_date")),
                "note": f.get("note"),
                "updated_by": _check_by(f.get("updated_by") or "import"),
                "updated_at": _parse_datetime(f.get("updated_at")) or _now(),
            }
        )
    reviewed_by = data.get("reviewed_by") if data.get("review_state") == "reviewed" else None
    with _tx(bind) as conn:
        existing = _find_by_hash(conn, digest)
        if existing:
            return _duplicate(existing, source_name)
        sid = _insert_session(
            conn,
            programme=programme,
            source_name=source_name,
            raw_text=raw_text,
            source_text=data.get("source_text"),
            digest=digest,
            origin=origin,
            extracted=extracted,
            imported_at=_parse_datetime(data.get("imported_at")),
            reviewed_by=reviewed_by,
            reviewed_at=(_parse_datetime(data.get("reviewed_at")) or _now())
            if reviewed_by
            else None,
        )
        if corrections:
            conn.execute(sa.insert(m.corrections), [{"session_id": sid, **c} for c in corrections])
        if followup_rows:
            conn.execute(sa.insert(m.followups), [{"session_id": sid, **f} for f in followup_rows])
        _refresh(conn, sid, fresh=True)
    return _imported(sid, source_name, programme)


# ----------------------------------------------------------------------------- reading


def list_programmes(bind: Engine | Connection) -> list[str]:
    """Names of the programmes in the store, sorted."""
    with _tx(bind) as conn:
        return list(
            conn.execute(sa.select(m.programmes.c.name).order_by(m.programmes.c.name)).scalars()
        )


def _programme_filter(query, programme: str | None):
    if programme is None:
        return query
    return query.where(m.programmes.c.name == programme)


def _session_meta_query():
    s, p = m.sessions, m.programmes
    return sa.select(
        s.c.id,
        p.c.name.label("programme"),
        s.c.source_name,
        s.c.imported_at,
        s.c.reviewed_by,
        s.c.reviewed_at,
    ).join(p, p.c.id == s.c.programme_id)


def _effective_dicts(conn: Connection, rows, with_followup_meta: bool = False) -> list[dict]:
    """Effective session dicts (the `analysis.tables` contract) for session rows that carry
    id, programme, source_name, imported_at, reviewed_by, reviewed_at and extracted."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    corrections: dict[int, dict] = {}
    followups: dict[tuple[int, str], Any] = {}
    rec_ids: dict[tuple[int, int], int] = {}
    chunk = 5000
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        for row in _corrections_rows(conn, part):
            corrections.setdefault(row.session_id, {})[row.field] = row.value
        f = m.followups
        for row in conn.execute(sa.select(f).where(f.c.session_id.in_(part)).order_by(f.c.id)):
            followups[(row.session_id, row.recommendation_text)] = row
        r = m.recommendations
        for row in conn.execute(
            sa.select(r.c.id, r.c.session_id, r.c.seq).where(r.c.session_id.in_(part))
        ):
            rec_ids[(row.session_id, row.seq)] = row.id
    out = []
    for row in rows:
        rec = effective_record(row.extracted, corrections.get(row.id) or {})
        follow = []
        for seq, text in enumerate(rec.get("recommendations") or []):
            f = followups.get((row.id, text))
            entry = {
                "recommendation_id": rec_ids.get((row.id, seq)),
                "status": f.status if f is not None else "proposed",
                "owner_agency": f.owner_agency if f is not None else None,
                "due_date": _iso(f.due_date) if f is not None else None,
                "note": f.note if f is not None else None,
            }
            if with_followup_meta:
                entry["updated_by"] = f.updated_by if f is not None else None
                entry["updated_at"] = f.updated_at if f is not None else None
            follow.append(entry)
        out.append(
            {
                "session_id": row.id,
                "programme": row.programme,
                "source_name": row.source_name,
                "imported_at": row.imported_at,
                "review_state": "reviewed" if row.reviewed_by else "unreviewed",
                "reviewed_by": row.reviewed_by,
                "reviewed_at": row.reviewed_at,
                "record": rec,
                "followups": follow,
            }
        )
    return out


def load_effective_sessions(bind: Engine | Connection, programme: str | None = None) -> list[dict]:
    """Every session (of `programme`, or all), extraction with corrections applied, by id.

    Each dict follows the contract in `analysis.tables` (session_id, programme, source_name,
    imported_at, review_state, reviewed_by, reviewed_at, record, followups).
    """
    query = _programme_filter(
        _session_meta_query().add_columns(m.sessions.c.extracted), programme
    ).order_by(m.sessions.c.id)
    with _tx(bind) as conn:
        return _effective_dicts(conn, conn.execute(query).all())


def _fetch_tuples(conn: Connection, query) -> list[tuple]:
    """Rows of a Core query as plain DBAPI tuples, skipping SQLAlchemy's per-row processing
    (the bulk reads of `load_tables`; the query is compiled with bound parameters as usual).
    Values come as the driver gives them: dates may be ISO strings on SQLite."""
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _iso_date(value) -> str | None:
    """A DATE column's value as ISO text, whether the driver gave a date or a string."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _fiscal_year(iso: str | None) -> int | None:
    """`analysis.tables.fiscal_year_be` of an ISO date string (without parsing it)."""
    if iso is None:
        return None
    return int(iso[:4]) + 543 + (1 if int(iso[5:7]) >= 10 else 0)


def load_tables(bind: Engine | Connection, programme: str | None = None) -> ProgrammeTables:
    """The programme's long tables, read straight from the materialised SQL tables.

    Returns exactly what ``tables_from_sessions(load_effective_sessions(...))`` returns (same
    columns, dtypes and row order; tests check this) in a fraction of the time: about 1 s for
    10,000 sessions (bench/store.py).
    """
    s, p = m.sessions, m.programmes

    def scoped(query, table):
        if programme is None:
            return query
        return (
            query.join(s, s.c.id == table.c.session_id)
            .join(p, p.c.id == s.c.programme_id)
            .where(p.c.name == programme)
        )

    sa_t, t, r = m.session_agencies, m.turns, m.recommendations
    rc, th = m.recommendation_categories, m.themes
    with _tx(bind) as conn:
        session_rows = _fetch_tuples(
            conn,
            _programme_filter(
                sa.select(
                    s.c.id,
                    p.c.name,
                    s.c.source_name,
                    s.c.kind,
                    s.c.title,
                    s.c.session_date,
                    s.c.end_date,
                    s.c.time_range,
                    s.c.venue,
                    s.c.province,
                    s.c.participant_count,
                    s.c.n_turns,
                    s.c.n_recommendations,
                    s.c.reviewed_by,
                    s.c.reviewed_at,
                    s.c.imported_at,
                ).join(p, p.c.id == s.c.programme_id),
                programme,
            ).order_by(s.c.id),
        )
        agency_rows = _fetch_tuples(
            conn,
            scoped(
                sa.select(
                    sa_t.c.session_id,
                    sa_t.c.as_written,
                    sa_t.c.canonical,
                    sa_t.c.abbreviation,
                    sa_t.c.type,
                ),
                sa_t,
            ).order_by(sa_t.c.session_id, sa_t.c.seq),
        )
        turn_rows = _fetch_tuples(
            conn,
            scoped(
                sa.select(
                    t.c.session_id,
                    t.c.seq,
                    t.c.speaker,
                    t.c.agency,
                    t.c.agency_canonical,
                    t.c.speaker_role,
                    t.c.text,
                    t.c.chars,
                ),
                t,
            ).order_by(t.c.session_id, t.c.seq),
        )
        rec_rows = _fetch_tuples(
            conn,
            scoped(
                sa.select(
                    r.c.id,
                    r.c.session_id,
                    r.c.seq,
                    r.c.text,
                    r.c.status,
                    r.c.owner_agency,
                    r.c.due_date,
                    r.c.note,
                ),
                r,
            ).order_by(r.c.session_id, r.c.seq),
        )
        cat_rows = _fetch_tuples(
            conn,
            scoped(
                sa.select(rc.c.recommendation_id, rc.c.session_id, rc.c.seq, rc.c.category),
                rc,
            ).order_by(rc.c.session_id, rc.c.seq, rc.c.position),
        )
        theme_rows = _fetch_tuples(
            conn,
            scoped(
                sa.select(th.c.session_id, th.c.theme),
                th,
            ).order_by(th.c.session_id, th.c.seq),
        )

    session_tuples = []
    for (
        sid,
        name,
        source,
        kind,
        title,
        start,
        end,
        time_range,
        venue,
        province,
        count,
        n_turns,
        n_recs,
        reviewed_by,
        reviewed_at,
        imported_at,
    ) in session_rows:
        start = _iso_date(start)
        session_tuples.append(
            (
                sid,
                name,
                source,
                kind,
                kind in RECORD_KINDS,
                title,
                start,
                _iso_date(end),
                _fiscal_year(start),
                time_range,
                venue,
                province,
                count,
                n_turns,
                n_recs,
                "reviewed" if reviewed_by else "unreviewed",
                reviewed_by,
                reviewed_at,
                imported_at,
            )
        )
    sessions_df = pd.DataFrame(session_tuples, columns=SESSION_COLUMNS)
    for col in ("session_date", "end_date", "reviewed_at", "imported_at"):
        sessions_df[col] = pd.to_datetime(sessions_df[col], errors="coerce")
    for col in ("fiscal_year", "participant_count"):
        sessions_df[col] = sessions_df[col].astype("Int64")
    sessions_df["is_record"] = sessions_df["is_record"].astype(bool)

    categories: dict[int, list[str]] = {}
    category_rows = []
    for rec_id, sid, seq, category in cat_rows:
        categories.setdefault(rec_id, []).append(category)
        category_rows.append((sid, seq, category))
    recs_df = pd.DataFrame(
        [
            (
                rec_id,
                sid,
                seq,
                text,
                tuple(categories.get(rec_id, ())),
                status or "proposed",
                owner,
                _iso_date(due),
                note,
            )
            for rec_id, sid, seq, text, status, owner, due, note in rec_rows
        ],
        columns=RECOMMENDATION_COLUMNS,
    )
    recs_df["due_date"] = pd.to_datetime(recs_df["due_date"], errors="coerce")
    return ProgrammeTables(
        sessions=sessions_df,
        agencies=pd.DataFrame(agency_rows, columns=AGENCY_COLUMNS),
        turns=pd.DataFrame(turn_rows, columns=TURN_COLUMNS),
        recommendations=recs_df,
        recommendation_categories=pd.DataFrame(
            category_rows, columns=RECOMMENDATION_CATEGORY_COLUMNS
        ),
        themes=pd.DataFrame(theme_rows, columns=THEME_COLUMNS),
    )


def load_tables_from_records(bind: Engine | Connection, programme: str | None = None):
    """The reference path of `load_tables` (slow; for tests and checks)."""
    return tables_from_sessions(load_effective_sessions(bind, programme))


def _session_row(conn: Connection, session_id: int):
    row = conn.execute(
        _session_meta_query()
        .add_columns(
            m.sessions.c.extracted,
            m.sessions.c.raw_text,
            m.sessions.c.source_text,
            m.sessions.c.content_sha256,
            m.sessions.c.extractor_version,
            m.sessions.c.origin,
        )
        .where(m.sessions.c.id == session_id)
    ).first()
    if row is None:
        raise SessionNotFound(
            f"ไม่พบบันทึกหมายเลข {session_id} อาจถูกลบไปแล้ว โปรดรีเฟรชรายการ "
            f"(no session {session_id}: it may have been deleted; reload the list)"
        )
    return row


def get_session(bind: Engine | Connection, session_id: int) -> dict:
    """One session for review: the effective session dict plus `raw_text`, `extracted` (the
    extractor's record), `corrections` (every correction, oldest first, with who and when),
    `source_text`, `content_sha256`, `extractor_version` and `origin`.

    Raises SessionNotFound.
    """
    with _tx(bind) as conn:
        row = _session_row(conn, session_id)
        out = _effective_dicts(conn, [row], with_followup_meta=True)[0]
        out.update(
            raw_text=row.raw_text,
            source_text=row.source_text,
            extracted=row.extracted,
            content_sha256=row.content_sha256,
            extractor_version=row.extractor_version,
            origin=row.origin,
            corrections=[
                {
                    "field": c.field,
                    "value": c.value,
                    "corrected_by": c.corrected_by,
                    "corrected_at": c.corrected_at,
                }
                for c in _corrections_rows(conn, [session_id])
            ],
        )
    return out


def review_queue(bind: Engine | Connection, programme: str | None = None) -> list[dict]:
    """Sessions nobody has reviewed yet, oldest import first, with their correction counts."""
    s, c = m.sessions, m.corrections
    n_corr = sa.select(sa.func.count(c.c.id)).where(c.c.session_id == s.c.id).scalar_subquery()
    query = (
        _programme_filter(
            _session_meta_query().add_columns(
                s.c.title,
                s.c.kind,
                s.c.session_date,
                s.c.extractor_version,
                n_corr.label("n_corrections"),
            ),
            programme,
        )
        .where(s.c.reviewed_by.is_(None))
        .order_by(s.c.imported_at, s.c.id)
    )
    with _tx(bind) as conn:
        return [
            {
                "session_id": r.id,
                "programme": r.programme,
                "source_name": r.source_name,
                "title": r.title,
                "kind": r.kind,
                "session_date": r.session_date,
                "imported_at": r.imported_at,
                "extractor_version": r.extractor_version,
                "n_corrections": r.n_corrections,
            }
            for r in conn.execute(query)
        ]


def export_sessions(
    bind: Engine | Connection, programme: str | None = None, chunk: int = 500
) -> Iterator[dict]:
    """Everything stored about each session, oldest id first: the JSONL export's lines.

    A line holds what a faithful round trip needs (raw text, extraction, every correction and
    follow-up with who and when, review state, programme, source, import time, extractor
    version) plus the effective `record` for other tools. `import_exported` reads it back.
    """
    s, p = m.sessions, m.programmes
    with _tx(bind) as conn:
        ids = (
            conn.execute(
                _programme_filter(
                    sa.select(s.c.id).join(p, p.c.id == s.c.programme_id), programme
                ).order_by(s.c.id)
            )
            .scalars()
            .all()
        )
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        with _tx(bind) as conn:
            rows = conn.execute(
                _session_meta_query()
                .add_columns(
                    s.c.extracted,
                    s.c.raw_text,
                    s.c.source_text,
                    s.c.content_sha256,
                    s.c.extractor_version,
                    s.c.origin,
                )
                .where(s.c.id.in_(part))
                .order_by(s.c.id)
            ).all()
            effective = {d["session_id"]: d for d in _effective_dicts(conn, rows)}
            corrections: dict[int, list] = {}
            for c in _corrections_rows(conn, part):
                corrections.setdefault(c.session_id, []).append(
                    {
                        "field": c.field,
                        "value": c.value,
                        "corrected_by": c.corrected_by,
                        "corrected_at": _iso(c.corrected_at),
                    }
                )
            follow: dict[int, list] = {}
            f = m.followups
            for row in conn.execute(
                sa.select(f).where(f.c.session_id.in_(part)).order_by(f.c.session_id, f.c.id)
            ):
                follow.setdefault(row.session_id, []).append(
                    {
                        "recommendation_text": row.recommendation_text,
                        "status": row.status,
                        "owner_agency": row.owner_agency,
                        "due_date": _iso(row.due_date),
                        "note": row.note,
                        "updated_by": row.updated_by,
                        "updated_at": _iso(row.updated_at),
                    }
                )
        for row in rows:
            eff = effective[row.id]
            yield {
                "format": EXPORT_FORMAT,
                "format_version": EXPORT_FORMAT_VERSION,
                "session_id": row.id,
                "programme": row.programme,
                "source_name": row.source_name,
                "imported_at": _iso(row.imported_at),
                "origin": row.origin,
                "content_sha256": row.content_sha256,
                "extractor_version": row.extractor_version,
                "raw_text": row.raw_text,
                "source_text": row.source_text,
                "extracted": row.extracted,
                "corrections": corrections.get(row.id, []),
                "review_state": eff["review_state"],
                "reviewed_by": row.reviewed_by,
                "reviewed_at": _iso(row.reviewed_at),
                "followups": follow.get(row.id, []),
                "record": eff["record"],
            }


def raw_texts(bind: Engine | Connection, session_ids: Iterable[int]) -> dict[int, str]:
    """{session_id: raw_text} for the given sessions."""
    ids = list(session_ids)
    out: dict[int, str] = {}
    with _tx(bind) as conn:
        for start in range(0, len(ids), 5000):
            rows = conn.execute(
                sa.select(m.sessions.c.id, m.sessions.c.raw_text).where(
                    m.sessions.c.id.in_(ids[start : start + 5000])
                )
            )
            out.update({row.id: row.raw_text for row in rows})
    return out


def correction_history(bind: Engine | Connection, programme: str | None = None) -> list[dict]:
    """Every correction (of `programme`, or all): session_id, field, value, corrected_by,
    corrected_at; by session, oldest first."""
    c, s, p = m.corrections, m.sessions, m.programmes
    query = _programme_filter(
        sa.select(c.c.session_id, c.c.field, c.c.value, c.c.corrected_by, c.c.corrected_at)
        .join(s, s.c.id == c.c.session_id)
        .join(p, p.c.id == s.c.programme_id),
        programme,
    ).order_by(c.c.session_id, c.c.corrected_at, c.c.id)
    with _tx(bind) as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def count_sessions(bind: Engine | Connection, programme: str | None = None) -> int:
    """Number of stored sessions (of `programme`, or all)."""
    s, p = m.sessions, m.programmes
    query = sa.select(sa.func.count(s.c.id)).join(p, p.c.id == s.c.programme_id)
    with _tx(bind) as conn:
        return conn.execute(_programme_filter(query, programme)).scalar_one()


# ----------------------------------------------------------------------------- human input


def correct(bind: Engine | Connection, session_id: int, field: str, value, by: str) -> dict:
    """Record a person's correction of one record field; returns the new effective record.

    The extraction is left as it was; the correction (with who and when) wins over it now and
    after any re-extraction. Fields: see CORRECTABLE_FIELDS (agencies as a list of names,
    turns as a list of {speaker, agency, text}, recommendations and themes as lists of text).
    """
    value = _validate_correction(field, value)
    by = _check_by(by)
    with _tx(bind) as conn:
        _session_row(conn, session_id)
        conn.execute(
            sa.insert(m.corrections).values(
                session_id=session_id,
                field=field,
                value=value,
                corrected_by=by,
                corrected_at=_now(),
            )
        )
        return _refresh(conn, session_id)


def mark_reviewed(
    bind: Engine | Connection, session_id: int, by: str, reviewed: bool = True
) -> None:
    """Mark a session reviewed by `by` now (or, with reviewed=False, back to unreviewed)."""
    by = _check_by(by)
    with _tx(bind) as conn:
        _session_row(conn, session_id)
        conn.execute(
            sa.update(m.sessions)
            .where(m.sessions.c.id == session_id)
            .values(
                reviewed_by=by if reviewed else None,
                reviewed_at=_now() if reviewed else None,
            )
        )


def _status_error(status) -> str:
    return (
        f"สถานะ “{status}” ไม่ถูกต้อง ใช้: {', '.join(FOLLOWUP_STATUSES)} "
        f"(unknown follow-up status “{status}”: use one of {', '.join(FOLLOWUP_STATUSES)})"
    )


_UNSET = object()


def set_followup(
    bind: Engine | Connection,
    session_id: int,
    recommendation: str | int,
    status: str | None = None,
    owner_agency: str | None = None,
    due_date: str | date | None = None,
    note: str | None = None,
    *,
    by: str,
) -> dict:
    """Set the follow-up of one recommendation, given by its text or its position (0-based).

    Only the arguments given change; pass "" to clear owner_agency, due_date or note. The
    follow-up is keyed by the recommendation's text, so it survives re-extraction and comes back
    if a later extraction finds the same text again. Returns the follow-up as a dict.
    """
    by = _check_by(by)
    if status is not None and status not in FOLLOWUP_STATUSES:
        raise StoreError(_status_error(status))
    due = _UNSET
    if due_date is not None:
        due = None if due_date == "" else _parse_date(due_date)
        if due_date != "" and due is None:
            raise StoreError(
                f"วันครบกำหนด “{due_date}” ไม่ถูกต้อง ใช้ YYYY-MM-DD "
                f"(due date “{due_date}” not understood: use YYYY-MM-DD)"
            )
    with _tx(bind) as conn:
        row = _session_row(conn, session_id)
        rec = effective_record(
            row.extracted, _latest_corrections(_corrections_rows(conn, [session_id]))
        )
        texts = rec.get("recommendations") or []
        if isinstance(recommendation, int) and not isinstance(recommendation, bool):
            if not 0 <= recommendation < len(texts):
                raise StoreError(
                    f"บันทึก {session_id} ไม่มีข้อเสนอแนะลำดับที่ {recommendation} "
                    f"(session {session_id} has no recommendation at position {recommendation}; "
                    f"it has {len(texts)})"
                )
            text = texts[recommendation]
        elif recommendation in texts:
            text = recommendation
        else:
            raise StoreError(
                f"ไม่พบข้อเสนอแนะนี้ในบันทึก {session_id} โปรดเลือกจากรายการ "
                f"(session {session_id} has no such recommendation: choose one from its list)"
            )
        f = m.followups
        current = conn.execute(
            sa.select(f)
            .where(f.c.session_id == session_id, f.c.recommendation_text == text)
            .order_by(f.c.id)
        ).first()
        values = {
            "status": status if status is not None else (current.status if current else "proposed"),
            "owner_agency": (owner_agency or None)
            if owner_agency is not None
            else (current.owner_agency if current else None),
            "due_date": due if due is not _UNSET else (current.due_date if current else None),
            "note": (note or None) if note is not None else (current.note if current else None),
            "updated_by": by,
            "updated_at": _now(),
        }
        if current is None:
            conn.execute(
                sa.insert(f).values(session_id=session_id, recommendation_text=text, **values)
            )
        else:
            conn.execute(sa.update(f).where(f.c.id == current.id).values(**values))
        r = m.recommendations
        conn.execute(
            sa.update(r)
            .where(r.c.session_id == session_id, r.c.text == text)
            .values(
                status=values["status"],
                owner_agency=values["owner_agency"],
                due_date=values["due_date"],
                note=values["note"],
            )
        )
    return {"recommendation_text": text, **values, "due_date": _iso(values["due_date"])}


# ----------------------------------------------------------------------------- maintenance


def re_extract(
    engine: Engine,
    progress: Callable[[int, int, str], None] | None = None,
    programme: str | None = None,
    batch_size: int = 100,
) -> dict:
    """Run the current extractor over every stored text again and keep every correction.

    What nobody corrected follows the new extraction; corrections, follow-ups and review states
    stay. Sessions whose fields came from a table (origin "structured") are left alone.
    Returns counts: total, changed, unchanged, failed, structured.
    """
    s, p = m.sessions, m.programmes
    query = _programme_filter(
        sa.select(s.c.id, s.c.origin).join(p, p.c.id == s.c.programme_id), programme
    ).order_by(s.c.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    ids = [r.id for r in rows if r.origin != ORIGIN_STRUCTURED]
    counts = {
        "total": len(ids),
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "structured": len(rows) - len(ids),
        "errors": [],
    }
    done = 0
    for start in range(0, len(ids), batch_size):
        part = ids[start : start + batch_size]
        with engine.connect() as conn:
            texts = conn.execute(
                sa.select(s.c.id, s.c.raw_text, s.c.source_name, s.c.extracted)
                .where(s.c.id.in_(part))
                .order_by(s.c.id)
            ).all()
        fresh: dict[int, dict] = {}
        for row in texts:  # extraction runs outside any transaction: it may take a while
            try:
                fresh[row.id] = run_extractor(row.raw_text)
            except Exception as exc:  # one bad text must not stop the others
                counts["failed"] += 1
                counts["errors"].append(f"{row.id} {row.source_name}: {exc}")
        with engine.begin() as conn:
            for row in texts:
                new = fresh.get(row.id)
                if new is None:
                    continue
                if new == row.extracted:
                    counts["unchanged"] += 1
                    continue
                conn.execute(
                    sa.update(s)
                    .where(s.c.id == row.id)
                    .values(extracted=new, extractor_version=str(new.get("extractor_version"))[:50])
                )
                _refresh(conn, row.id)
                counts["changed"] += 1
        for row in texts:
            done += 1
            if progress:
                progress(done, len(ids), row.source_name)
    with engine.begin() as conn:
        _purge_orphan_agencies(conn)
    return counts


def _purge_orphan_agencies(conn: Connection) -> None:
    a, sa_t = m.agencies, m.session_agencies
    conn.execute(sa.delete(a).where(~sa.exists().where(sa_t.c.agency_id == a.c.id)))


def delete_session(engine: Engine | Connection, session_id: int) -> bool:
    """Delete a session and every row that belongs to it, in one transaction.

    For personal data (PDPA): SQLite overwrites the freed pages (secure_delete) and the WAL is
    checkpointed afterwards. Returns False when there was no such session.
    """
    with _tx(engine) as conn:
        exists = conn.execute(
            sa.select(m.sessions.c.id).where(m.sessions.c.id == session_id)
        ).first()
        if exists is None:
            return False
        for table in m.SESSION_CHILD_TABLES:
            conn.execute(sa.delete(table).where(table.c.session_id == session_id))
        conn.execute(sa.delete(m.sessions).where(m.sessions.c.id == session_id))
        _purge_orphan_agencies(conn)
    if isinstance(engine, Engine) and engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # outside a transaction, or the checkpoint cannot run
            conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True
