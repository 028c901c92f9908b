"""Reading single sessions and lists for review: one session with its history, the review
queue, the JSONL export, raw texts, the correction history and session counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.store.effective import _corrections_rows
from analysis.store.engine import (
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    SessionNotFound,
    _iso,
    _tx,
)
from analysis.store.loading import _effective_dicts, _programme_filter, _session_meta_query


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
