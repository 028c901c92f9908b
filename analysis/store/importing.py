"""Importing: one text, one structured row or one line of the JSONL export becomes a
session, unless the store already holds the same text (a duplicate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import auth, store  # store.run_extractor/_materialise: see analysis.store
from analysis import models as m
from analysis.record import SessionRecord
from analysis.store import audit
from analysis.store.effective import (
    _refresh,
    _status_error,
    _validate_correction,
    session_columns,
)
from analysis.store.engine import (
    DEFAULT_PROGRAMME,
    MAX_TEXT_CHARS,
    ORIGIN_STRUCTURED,
    ORIGIN_TEXT,
    STRUCTURED_VERSION,
    StoreError,
    _check_by,
    _now,
    _parse_date,
    _parse_datetime,
    _programme_name,
    _tx,
    _write_tx,
    content_hash,
    normalise_record,
    without_nul,
)
from analysis.tables import (
    FOLLOWUP_STATUSES,
)

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


def find_duplicate(
    bind: Engine | Connection, text: str, *, digest: str | None = None
) -> dict | None:
    """The stored session with the same normalised text, as {session_id, programme,
    source_name}, or None. `digest`: `content_hash(text)` when the caller has it already."""
    digest = digest or content_hash(text)
    with _tx(bind) as conn:
        return _find_by_hashes(conn, [digest]).get(digest)


def find_duplicates(bind: Engine | Connection, digests) -> dict[str, dict]:
    """{content hash: the stored session with it, as in `find_duplicate`} for those of
    `digests` (`content_hash` values) that the store holds: one query for all of them."""
    with _tx(bind) as conn:
        return _find_by_hashes(conn, digests)


def _find_by_hashes(conn: Connection, digests) -> dict[str, dict]:
    """{content hash: the stored session with it, as in `find_duplicate`} for those stored."""
    s, p = m.sessions, m.programmes
    rows = conn.execute(
        sa.select(s.c.id, s.c.source_name, s.c.content_sha256, p.c.name)
        .join(p, p.c.id == s.c.programme_id)
        .where(s.c.content_sha256.in_(set(digests)))
    )
    return {
        row.content_sha256: {
            "session_id": row.id,
            "programme": row.name,
            "source_name": row.source_name,
        }
        for row in rows
    }


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


_IMPORT = "นำเข้าบันทึก (import sessions)"


def _import_details(source_name: str, programme: str, origin: str) -> dict:
    return {"source_name": source_name, "programme": programme, "origin": origin}


_EMPTY_DIGEST = content_hash("")  # a text that normalises to nothing


def _checked_digest(text: str, digest: str | None = None) -> str:
    """`content_hash(text)` (`digest` when the caller has it), or StoreError for a text that is
    empty once normalised or too long."""
    if not isinstance(text, str):
        digest = _EMPTY_DIGEST
    digest = digest or content_hash(text)
    if digest == _EMPTY_DIGEST:
        raise StoreError("ข้อความว่าง ไม่มีอะไรให้นำเข้า (empty text: paste or upload the record)")
    if len(text) > MAX_TEXT_CHARS:
        raise StoreError(
            f"ข้อความยาวเกิน {MAX_TEXT_CHARS:,} ตัวอักษร โปรดแยกเป็นหลายไฟล์ "
            f"(text longer than {MAX_TEXT_CHARS:,} characters: split it into several records)"
        )
    return digest


def _session_row(
    *,
    programme_id: int,
    source_name: str,
    raw_text: str,
    source_text: str | None,
    digest: str,
    origin: str,
    extracted: dict,
    imported_at: datetime | None = None,
    reviewed_by: str | None = None,
    reviewed_at: datetime | None = None,
) -> dict:
    now = _now()
    return {
        "programme_id": programme_id,
        "source_name": source_name,
        "raw_text": raw_text,
        "source_text": source_text if source_text not in (None, raw_text) else None,
        "content_sha256": digest,
        "origin": origin,
        "imported_at": imported_at or now,
        "extractor_version": str(extracted.get("extractor_version") or "")[:50],
        "extracted": extracted,
        "reviewed_by": reviewed_by,
        "reviewed_at": reviewed_at,
        "updated_at": now,
    }


@dataclass(frozen=True)
class NewText:
    """One decoded text for `import_texts`.

    `raw`: the source before decoding when it differs (e.g. HTML markup). `extracted`: the
    record when the caller ran the extractor already (outside the transaction, or in a worker
    process); None runs it here, only for a text that is new. `normal`: `extracted` is what
    `run_extractor` returned, already in `normalise_record`'s shape. `digest`: the text's
    `content_hash` (of the text without NUL characters) when the caller has it already."""

    text: str
    source_name: str
    programme: str = DEFAULT_PROGRAMME
    raw: str | None = None
    extracted: dict | SessionRecord | None = None
    digest: str | None = None
    normal: bool = False


@dataclass(frozen=True)
class _New:
    """A checked text about to be stored (see `_store_new`)."""

    text: str
    raw: str | None
    source_name: str
    programme: str
    origin: str
    record_of: Callable[[], dict]  # its record, asked for only when the text is new
    digest: str


def import_text(
    bind: Engine | Connection,
    text: str,
    source_name: str,
    programme: str = DEFAULT_PROGRAMME,
    raw: str | None = None,
    *,
    actor: auth.Actor,
    extracted: dict | SessionRecord | None = None,
) -> ImportResult:
    """Store one decoded text with its extraction, unless the store already holds the same text.

    `text` is kept exactly as given (`raw_text`); `raw` is the source before decoding when the
    caller has it and it differs (e.g. HTML markup). The same text in any programme is a
    duplicate: nothing is added and the result says which session holds it. `extracted` lets a
    caller that already ran the extractor (outside the transaction) pass its record.
    Editor; audited.
    """
    new = NewText(text, source_name, programme, raw, extracted)
    return import_texts(bind, [new], actor=actor)[0]


def import_texts(
    bind: Engine | Connection, texts: list[NewText], *, actor: auth.Actor
) -> list[ImportResult]:
    """`import_text` for several texts in ONE transaction (all of them or, on any error, none):
    one statement per table for all of them. A text repeated among them is stored once, the
    others are its duplicates. Results in the order given. Editor; each session audited."""
    news = []
    for t in texts:
        text, raw = without_nul(t.text), without_nul(t.raw)
        digest = _checked_digest(text, t.digest)
        name = (without_nul(t.source_name) or "").strip() or "(ไม่มีชื่อ untitled)"
        news.append(
            _New(
                text,
                raw,
                name,
                _programme_name(t.programme),
                ORIGIN_TEXT,
                partial(_record_of, text, t.extracted, t.normal),
                digest,
            )
        )
    with _write_tx(bind) as conn:
        return _store_new(conn, actor, news)


def _record_of(text: str, extracted: dict | SessionRecord | None, normal: bool) -> dict:
    if extracted is None:
        return store.run_extractor(text)
    return extracted if normal else normalise_record(extracted)


def _store_new(conn: Connection, actor: auth.Actor, news: list[_New]) -> list[ImportResult]:
    """Insert the sessions of `news` (editor; audited) whose text is not stored already, in the
    caller's transaction, one statement per table; a record is made only for a new text (the
    extractor does not run for a duplicate)."""
    actor = auth.check(conn, actor, auth.Role.EDITOR, _IMPORT)
    stored = _find_by_hashes(conn, [new.digest for new in news])
    results: list[ImportResult | None] = [None] * len(news)
    first: dict[str, int] = {}  # digest -> position of the text stored by this call
    programme_ids: dict[str, int] = {}
    rows, records, positions = [], [], []
    for i, new in enumerate(news):
        if new.digest in stored:
            results[i] = _duplicate(stored[new.digest], new.source_name)
        elif new.digest not in first:
            first[new.digest] = i
            if new.programme not in programme_ids:
                programme_ids[new.programme] = _programme_id(conn, new.programme)
            record = new.record_of()
            records.append(record)
            positions.append(i)
            rows.append(
                {
                    **_session_row(
                        programme_id=programme_ids[new.programme],
                        source_name=new.source_name,
                        raw_text=new.text,
                        source_text=new.raw,
                        digest=new.digest,
                        origin=new.origin,
                        extracted=record,
                    ),
                    **session_columns(record),
                }
            )
    ids = []
    if rows:
        ids = (
            conn.execute(
                sa.insert(m.sessions).returning(m.sessions.c.id, sort_by_parameter_order=True),
                rows,
            )
            .scalars()
            .all()
        )
    for i, sid in zip(positions, ids, strict=True):
        results[i] = _imported(sid, news[i].source_name, news[i].programme)
    for i, new in enumerate(news):
        if results[i] is None:  # the same text earlier in this call
            j = first[new.digest]
            held = {
                "session_id": results[j].session_id,
                "programme": news[j].programme,
                "source_name": news[j].source_name,
            }
            results[i] = _duplicate(held, new.source_name)
    store._materialise(conn, list(zip(ids, records, [{}] * len(ids), strict=True)), fresh=True)
    audit.record_many(
        conn,
        actor,
        "import",
        [
            (sid, _import_details(news[i].source_name, news[i].programme, news[i].origin))
            for i, sid in zip(positions, ids, strict=True)
        ],
    )
    return results


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
    *,
    actor: auth.Actor,
) -> ImportResult:
    """Store a session whose fields were given already structured (a CSV/XLSX row).

    Its `raw_text` is the fields written out (`structured_text`); re-extraction leaves it alone.
    Editor; audited.
    """
    record = normalise_record(record)
    record["extractor_version"] = STRUCTURED_VERSION
    text = structured_text(record)
    digest = _checked_digest(text)
    programme = _programme_name(programme)
    new = _New(text, None, source_name, programme, ORIGIN_STRUCTURED, lambda: record, digest)
    with _write_tx(bind) as conn:
        return _store_new(conn, actor, [new])[0]


def import_exported(
    bind: Engine | Connection, data: dict, programme: str | None = None, *, actor: auth.Actor
) -> ImportResult:
    """Store one session from a line of the project's JSONL export (see `analysis.export`).

    Everything in the line is kept: extraction as it was, corrections and follow-ups with who and
    when, review state, import time. The programme is the line's unless `programme` is given.
    Editor; audited (the import, under `actor`; the line's own history is kept as it was).
    """
    raw_text = data.get("raw_text")
    digest = _checked_digest(raw_text)
    programme = _programme_name(programme or data.get("programme"))
    source_name = str(data.get("source_name") or "(ไม่มีชื่อ untitled)")
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
    with _write_tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.EDITOR, _IMPORT)
        existing = _find_by_hashes(conn, [digest]).get(digest)
        if existing:
            return _duplicate(existing, source_name)
        row = _session_row(
            programme_id=_programme_id(conn, programme),
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
        sid = conn.execute(sa.insert(m.sessions).values(**row)).inserted_primary_key[0]
        if corrections:
            conn.execute(sa.insert(m.corrections), [{"session_id": sid, **c} for c in corrections])
        if followup_rows:
            conn.execute(sa.insert(m.followups), [{"session_id": sid, **f} for f in followup_rows])
        _refresh(conn, sid)
        audit.record(conn, actor, "import", sid, _import_details(source_name, programme, "export"))
    return _imported(sid, source_name, programme)
