"""The audit trail: who did what, when, written in the same transaction as the change.

The app only appends (`record`) and reads (`audit_trail`, `export_audit`, admins only); nothing in
the app edits an entry. Deleting a session redacts the values its entries hold (`redact_session`)
and keeps the entries themselves, with who and when.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import auth
from analysis import models as m
from analysis.store.engine import StoreError, _now, _parse_datetime, _tx

ACTIONS = {
    "import": "นำเข้า (import)",
    "correct": "แก้ไข (correction)",
    "review": "ตรวจแล้ว (review)",
    "followup": "การติดตาม (follow-up)",
    "re_extract": "สกัดใหม่ (re-extraction)",
    "delete": "ลบบันทึก (deletion)",
    "purge": "ล้างข้อมูลที่ลบออกจากไฟล์ฐานข้อมูล (purge of deleted data)",
    "export": "ส่งออก (export)",
    "user_add": "เพิ่มผู้ใช้ (user added)",
    "user_role": "เปลี่ยนบทบาท (role changed)",
    "user_remove": "ลบผู้ใช้ (user removed)",
    "set_password": "ตั้งรหัสผ่าน (password set)",
    "sign_in": "ลงชื่อเข้าใช้ (sign-in)",
    "sign_in_failed": "ลงชื่อเข้าใช้ไม่สำเร็จ (failed sign-in)",
}
"""Every action the trail records, with its label (Thai, English)."""

KEPT_ON_REDACTION = frozenset({"field", "status_changed", "reviewed", "kind"})
"""Detail keys that say what kind of change it was, never its content: kept by `redact_session`."""

REDACTED = "[ลบแล้ว redacted]"
DEFAULT_LIMIT = 500
MAX_LIMIT = 100_000
EXPORT_FORMATS = ("csv", "jsonl")
COLUMNS = ("id", "at", "actor_email", "action", "session_id", "details")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def record(
    conn: Connection,
    actor: auth.Actor,
    action: str,
    session_id: int | None = None,
    details: dict | None = None,
) -> None:
    """Append one entry, in the caller's transaction (so it exists exactly when the change does)."""
    record_many(conn, actor, action, [(session_id, details)])


def record_many(
    conn: Connection,
    actor: auth.Actor,
    action: str,
    entries: list[tuple[int | None, dict | None]],
) -> None:
    """Append one entry per (session id, details), in one statement, in the caller's
    transaction (a batch of imports is audited session by session as it is written)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if not entries:
        return
    now = _now()
    conn.execute(
        sa.insert(m.audit),
        [
            {
                "at": now,
                "actor_email": actor.email,
                "action": action,
                "session_id": session_id,
                "details": _jsonable(details or {}),
            }
            for session_id, details in entries
        ],
    )


def record_export(bind: Engine | Connection, actor: auth.Actor, what: str, **details) -> None:
    """Audit an export made by `actor` (`what`: "data", "report", …; details: format, programme,
    file name …), in its own transaction when given an Engine."""
    with _tx(bind) as conn:
        record(conn, actor, "export", None, {"what": what, **details})


def redact_session(conn: Connection, session_id: int) -> int:
    """Blank the values of every entry about `session_id` (old/new values, texts, names), keeping
    who, when, the action and the kind of change; returns how many entries were redacted."""
    a = m.audit
    rows = conn.execute(sa.select(a.c.id, a.c.details).where(a.c.session_id == session_id)).all()
    for row in rows:
        details = row.details or {}
        kept = {k: v for k, v in details.items() if k in KEPT_ON_REDACTION}
        conn.execute(
            sa.update(a).where(a.c.id == row.id).values(details={**kept, "redacted": True})
        )
    return len(rows)


def _bound(value, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    try:
        return _parse_datetime(value)
    except ValueError:
        raise StoreError(
            f"{what} “{value}” ไม่ใช่วันเวลา ใช้ YYYY-MM-DD (not a date: use YYYY-MM-DD)"
        ) from None


def audit_trail(
    bind: Engine | Connection,
    actor: auth.Actor,
    *,
    action: str | None = None,
    user: str | None = None,
    since=None,
    until=None,
    session_id: int | None = None,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> list[dict]:
    """Entries, newest first, filtered (all filters combine); admins only.

    `since` is inclusive, `until` exclusive (a date means its midnight, UTC). `user` matches the
    actor's e-mail exactly (case-insensitive). `limit=None` means no limit (up to MAX_LIMIT).
    Each entry: id, at (datetime), actor_email, action, action_label, session_id, details.
    """
    if action is not None and action not in ACTIONS:
        raise StoreError(
            f"ไม่รู้จักการกระทำ “{action}” (unknown action: use one of {', '.join(ACTIONS)})"
        )
    a = m.audit
    query = sa.select(a).order_by(a.c.at.desc(), a.c.id.desc())
    if action:
        query = query.where(a.c.action == action)
    if user:
        query = query.where(a.c.actor_email == user.strip().lower())
    if session_id is not None:
        query = query.where(a.c.session_id == int(session_id))
    start, end = _bound(since, "since"), _bound(until, "until")
    if start is not None:
        query = query.where(a.c.at >= start)
    if end is not None:
        query = query.where(a.c.at < end)
    limit = MAX_LIMIT if limit is None else max(0, min(int(limit), MAX_LIMIT))
    query = query.limit(limit).offset(max(0, int(offset)))
    with _tx(bind) as conn:
        auth.check(conn, actor, auth.Role.ADMIN, "อ่านบันทึกการใช้งาน (read the audit trail)")
        rows = conn.execute(query).all()
    return [
        {
            "id": r.id,
            "at": r.at,
            "actor_email": r.actor_email,
            "action": r.action,
            "action_label": ACTIONS.get(r.action, r.action),
            "session_id": r.session_id,
            "details": r.details or {},
        }
        for r in rows
    ]


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_audit(
    bind: Engine | Connection, actor: auth.Actor, fmt: str = "csv", **filters
) -> bytes:
    """The filtered trail (see `audit_trail`, no limit by default) as CSV (UTF-8 with BOM,
    formula-safe) or JSONL; admins only. The export itself is audited."""
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"ไม่รู้จักรูปแบบ “{fmt}” (unknown format “{fmt}”: use {' or '.join(EXPORT_FORMATS)})"
        )
    filters.setdefault("limit", None)
    with _tx(bind) as conn:
        entries = audit_trail(conn, actor, **filters)
        record(
            conn, actor, "export", details={"what": "audit", "format": fmt, "rows": len(entries)}
        )
    rows = [
        {
            **{k: e[k] for k in COLUMNS if k != "details"},
            "at": e["at"].isoformat(),
            "details": e["details"],
        }
        for e in entries
    ]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        details = json.dumps(r["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow([_cell(r[k]) for k in COLUMNS[:-1]] + [_cell(details)])
    return out.getvalue().encode("utf-8-sig")
