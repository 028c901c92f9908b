"""What people change: corrections, review marks and follow-ups; and maintenance: running a
newer extractor over every text again, and deleting a session (PDPA).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis import store  # run_extractor/_materialise: see analysis.store
from analysis.store.effective import (
    _corrections_rows,
    _latest_corrections,
    _refresh,
    _status_error,
    _validate_correction,
    effective_record,
)
from analysis.store.engine import (
    ORIGIN_STRUCTURED,
    StoreError,
    _check_by,
    _iso,
    _now,
    _parse_date,
    _tx,
)
from analysis.store.loading import _programme_filter
from analysis.store.sessions import _session_row
from analysis.tables import (
    FOLLOWUP_STATUSES,
)

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
    workers: int = 1,
) -> dict:
    """Run the current extractor over every stored text again and keep every correction.

    What nobody corrected follows the new extraction; corrections, follow-ups and review states
    stay. Sessions whose fields came from a table (origin "structured") are left alone.
    With ``workers > 1`` the texts are extracted in that many worker processes (the next batch
    while this process writes the current one); every write stays here, in order.
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

    def submit(pool, part: list[int]):
        """Read a batch's texts and hand them to the extractor (outside any transaction)."""
        with engine.connect() as conn:
            texts = conn.execute(
                sa.select(s.c.id, s.c.raw_text, s.c.source_name, s.c.extracted)
                .where(s.c.id.in_(part))
                .order_by(s.c.id)
            ).all()
        return texts, [pool.submit(row.raw_text) for row in texts]

    done = 0
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    with store.extraction_pool(workers) as pool:
        ahead = submit(pool, batches[0]) if batches else None
        for k in range(len(batches)):
            texts, futures = ahead
            ahead = submit(pool, batches[k + 1]) if k + 1 < len(batches) else None
            fresh: dict[int, dict] = {}
            for row, future in zip(texts, futures, strict=True):
                try:
                    fresh[row.id] = future.result()
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
                        .values(
                            extracted=new, extractor_version=str(new.get("extractor_version"))[:50]
                        )
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
