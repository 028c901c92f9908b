"""What people change: corrections, review marks and follow-ups; and maintenance: running a
newer extractor over every text again, and deleting a session (PDPA).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import date
from functools import partial

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import auth, store  # store.run_extractor/_materialise: see analysis.store
from analysis import models as m
from analysis.store import audit
from analysis.store.effective import (
    _corrections_rows,
    _latest_corrections,
    _refresh,
    _refresh_many,
    _status_error,
    _validate_correction,
    effective_record,
)
from analysis.store.engine import (
    ORIGIN_STRUCTURED,
    StoreError,
    _iso,
    _now,
    _parse_date,
    _write_tx,
    run_write,
)
from analysis.store.loading import _programme_filter
from analysis.store.sessions import _session_row
from analysis.tables import (
    FOLLOWUP_STATUSES,
)

# ----------------------------------------------------------------------------- human input


_EDIT = "แก้ไขหรือตรวจบันทึก (correct or review a session)"
_ADMINISTER = "ลบหรือสกัดบันทึกใหม่ (delete or re-extract sessions)"


def correct(
    bind: Engine | Connection, session_id: int, field: str, value, *, actor: auth.Actor
) -> dict:
    """Record `actor`'s correction of one record field (editor); returns the new effective record.

    The extraction is left as it was; the correction (with who and when) wins over it now and
    after any re-extraction. Fields: see CORRECTABLE_FIELDS (agencies as a list of names,
    turns as a list of {speaker, agency, text}, recommendations and themes as lists of text).
    Audited with the old and the new value.
    """
    value = _validate_correction(field, value)
    with _write_tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.EDITOR, _EDIT)
        row = _session_row(conn, session_id)
        old = effective_record(
            row.extracted, _latest_corrections(_corrections_rows(conn, [session_id]))
        ).get(field)
        conn.execute(
            sa.insert(m.corrections).values(
                session_id=session_id,
                field=field,
                value=value,
                corrected_by=actor.email,
                corrected_at=_now(),
            )
        )
        rec = _refresh(conn, session_id)
        audit.record(
            conn, actor, "correct", session_id, {"field": field, "old": old, "new": rec.get(field)}
        )
        return rec


def mark_reviewed(
    bind: Engine | Connection, session_id: int, *, actor: auth.Actor, reviewed: bool = True
) -> None:
    """Mark a session reviewed by `actor` now (editor), or with reviewed=False back to
    unreviewed; audited."""
    with _write_tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.EDITOR, _EDIT)
        _session_row(conn, session_id)
        conn.execute(
            sa.update(m.sessions)
            .where(m.sessions.c.id == session_id)
            .values(
                reviewed_by=actor.email if reviewed else None,
                reviewed_at=_now() if reviewed else None,
            )
        )
        audit.record(conn, actor, "review", session_id, {"reviewed": bool(reviewed)})


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
    actor: auth.Actor,
) -> dict:
    """Set the follow-up of one recommendation, given by its text or its position (0-based).

    Only the arguments given change; pass "" to clear owner_agency, due_date or note. The
    follow-up is keyed by the recommendation's text, so it survives re-extraction and comes back
    if a later extraction finds the same text again. Returns the follow-up as a dict.
    Editor; audited with the old and the new values.
    """
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
    with _write_tx(bind) as conn:
        actor = auth.check(conn, actor, auth.Role.EDITOR, "ตั้งการติดตาม (set a follow-up)")
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
            "updated_by": actor.email,
            "updated_at": _now(),
        }
        fields = ("status", "owner_agency", "due_date", "note")
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
            .values(**{k: values[k] for k in fields})
        )
        audit.record(
            conn,
            actor,
            "followup",
            session_id,
            {
                "recommendation": text,
                "status_changed": current is None or current.status != values["status"],
                "old": {k: getattr(current, k) for k in fields} if current else None,
                "new": {k: values[k] for k in fields},
            },
        )
    return {"recommendation_text": text, **values, "due_date": _iso(values["due_date"])}


# ----------------------------------------------------------------------------- maintenance


def re_extract(
    engine: Engine,
    *,
    actor: auth.Actor,
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
    Returns counts: total, changed, unchanged, failed, structured. Admin; each changed session
    is audited in the transaction that changes it, and the run as a whole at its end.
    """
    auth.check(engine, actor, auth.Role.ADMIN, _ADMINISTER)
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
        return texts, pool.submit_many([row.raw_text for row in texts])

    def write_batch(conn: Connection, texts, fresh: dict[int, dict]) -> tuple[int, int]:
        """The batch's new extractions in one transaction, one statement per table."""
        auth.check(conn, actor, auth.Role.ADMIN, _ADMINISTER)  # still, batch by batch
        stale = {row.id: row for row in texts if row.id in fresh and fresh[row.id] != row.extracted}
        unchanged = sum(1 for row in texts if row.id in fresh) - len(stale)
        if not stale:
            return 0, unchanged
        # a session deleted meanwhile has nothing to refresh
        there = set(conn.execute(sa.select(s.c.id).where(s.c.id.in_(list(stale)))).scalars())
        ids = [sid for sid in stale if sid in there]
        versions = {sid: str(fresh[sid].get("extractor_version"))[:50] for sid in ids}
        if ids:
            conn.execute(
                sa.update(s)
                .where(s.c.id == sa.bindparam("b_id"))
                .values(
                    extracted=sa.bindparam("b_extracted"),
                    extractor_version=sa.bindparam("b_version"),
                ),
                [{"b_id": i, "b_extracted": fresh[i], "b_version": versions[i]} for i in ids],
            )
            _refresh_many(conn, {sid: fresh[sid] for sid in ids})
            audit.record_many(
                conn,
                actor,
                "re_extract",
                [
                    (
                        sid,
                        {
                            "old_version": stale[sid].extracted.get("extractor_version"),
                            "new_version": versions[sid],
                        },
                    )
                    for sid in ids
                ],
            )
        return len(stale), unchanged

    done = 0
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    # batches handed to the extractor before they are written: with worker processes two, so
    # that the workers extract a whole batch while this process writes the one before it
    depth = 2 if workers > 1 else 1
    with store.extraction_pool(workers) as pool:
        ahead = deque(submit(pool, part) for part in batches[:depth])
        for k, part in enumerate(batches):
            texts, futures = ahead.popleft()
            if k + depth < len(batches):
                ahead.append(submit(pool, batches[k + depth]))
            fresh: dict[int, dict] = {}
            for row, future in zip(texts, futures, strict=True):
                try:
                    fresh[row.id] = future.result()
                except Exception as exc:  # one bad text must not stop the others
                    counts["failed"] += 1
                    counts["errors"].append(f"{row.id} {row.source_name}: {exc}")
            try:  # run again when a concurrent writer collides
                changed, unchanged = run_write(
                    engine, partial(write_batch, texts=texts, fresh=fresh)
                )
            except sa.exc.OperationalError as exc:  # busy past the timeout, or the database gone
                counts["failed"] += len(fresh)
                counts["errors"].append(
                    f"{len(fresh)} sessions ({part[0]}–{part[-1]}) not written: {exc.orig or exc}"
                )
                changed = unchanged = 0
            counts["changed"] += changed
            counts["unchanged"] += unchanged
            for row in texts:
                done += 1
                if progress:
                    progress(done, len(ids), row.source_name)
    summary = {k: v for k, v in counts.items() if k != "errors"}

    def finish(conn: Connection) -> None:
        _purge_orphan_agencies(conn)
        audit.record(conn, actor, "re_extract", None, {"programme": programme, **summary})

    run_write(engine, finish)
    return counts


def _purge_orphan_agencies(conn: Connection) -> None:
    a, sa_t = m.agencies, m.session_agencies
    conn.execute(sa.delete(a).where(~sa.exists().where(sa_t.c.agency_id == a.c.id)))


def delete_session(engine: Engine | Connection, session_id: int, *, actor: auth.Actor) -> bool:
    """Delete a session and every row that belongs to it, in one transaction (admin).

    The same transaction redacts the values the session's audit entries hold (they stay, with
    who and when) and audits the deletion: id, file name, programme and row counts, not text.
    For personal data (PDPA): SQLite overwrites the freed pages (secure_delete) and the WAL is
    checkpointed afterwards; on PostgreSQL run `purge_deleted` afterwards (README: PDPA).
    Returns False when there was no such session.
    """
    with _write_tx(engine) as conn:
        actor = auth.check(conn, actor, auth.Role.ADMIN, "ลบบันทึก (delete a session)")
        s, p = m.sessions, m.programmes
        row = conn.execute(
            sa.select(s.c.id, s.c.source_name, p.c.name.label("programme"))
            .join(p, p.c.id == s.c.programme_id)
            .where(s.c.id == session_id)
        ).first()
        if row is None:
            return False
        counts = {}
        for table in m.SESSION_CHILD_TABLES:
            counts[table.name] = conn.execute(
                sa.delete(table).where(table.c.session_id == session_id)
            ).rowcount
        conn.execute(sa.delete(s).where(s.c.id == session_id))
        _purge_orphan_agencies(conn)
        redacted = audit.redact_session(conn, session_id)
        details = {"source_name": row.source_name, "programme": row.programme, "counts": counts}
        audit.record(conn, actor, "delete", session_id, {**details, "redacted_entries": redacted})
    if isinstance(engine, Engine) and engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # outside a transaction, or the checkpoint cannot run
            conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True


PURGED_TABLES = (*m.SESSION_CHILD_TABLES, m.sessions, m.agencies, m.audit)
"""Every table a deleted session (or its redacted audit values) had rows in."""


def purge_deleted(engine: Engine, *, actor: auth.Actor) -> list[str]:
    """Make deleted sessions leave the database files (PDPA); admin, audited. Returns notes.

    PostgreSQL keeps deleted and updated rows in its table files until they are rewritten:
    this runs ``VACUUM`` then ``VACUUM (FULL, ANALYZE)`` on PURGED_TABLES (the rows a transaction
    still open in this database could see stay: run it when none is; FULL locks each table:
    do it after deletions, out of hours on a large store) and then ``CHECKPOINT``, which needs
    a superuser or the pg_checkpoint role (else a note says so; PostgreSQL checkpoints by itself
    within checkpoint_timeout). On SQLite, secure_delete already overwrote the rows: this
    checkpoints the WAL. What the write-ahead log and backups keep: README, "PDPA".
    """
    actor = auth.check(engine, actor, auth.Role.ADMIN, _ADMINISTER)
    notes: list[str] = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            quote = engine.dialect.identifier_preparer.quote
            for table in PURGED_TABLES:  # names from the schema, not from input
                # A plain VACUUM first: it ignores snapshots of other databases on the server,
                # which VACUUM FULL (holding a snapshot itself) would keep deleted rows for.
                conn.exec_driver_sql(f"VACUUM {quote(table.name)}")
                conn.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {quote(table.name)}")
            try:
                conn.exec_driver_sql("CHECKPOINT")
            except sa.exc.ProgrammingError:
                notes.append(
                    "CHECKPOINT ต้องใช้สิทธิ์ superuser หรือ pg_checkpoint ให้ผู้ดูแลฐานข้อมูลรัน "
                    "CHECKPOINT (CHECKPOINT needs a superuser or the pg_checkpoint role: ask the "
                    "database administrator to run it, or wait for the automatic checkpoint)"
                )
    tables = [t.name for t in PURGED_TABLES] if engine.dialect.name == "postgresql" else []
    with engine.begin() as conn:
        audit.record(conn, actor, "purge", None, {"tables": tables, "notes": len(notes)})
    return notes
