"""The effective record (extraction with the latest correction of each field applied), the
validation of corrections and follow-up statuses, and its materialisation into the plain
tables that SQL users and `load_tables` read.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analysis import models as m
from analysis import (
    store,  # run_extractor/_materialise: see analysis.store
)
from analysis.record import KINDS
from analysis.store.engine import (
    CORRECTABLE_FIELDS,
    DATE_FIELDS,
    SCALAR_TEXT_FIELDS,
    StoreError,
    _now,
    _parse_date,
    _text_or_none,
)
from analysis.tables import (
    FOLLOWUP_STATUSES,
    agency_entry,
    canonical_by_name,
    turn_row,
)

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


def _status_error(status) -> str:
    return (
        f"สถานะ “{status}” ไม่ถูกต้อง ใช้: {', '.join(FOLLOWUP_STATUSES)} "
        f"(unknown follow-up status “{status}”: use one of {', '.join(FOLLOWUP_STATUSES)})"
    )


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


def session_columns(rec: dict) -> dict:
    """The record columns of a `sessions` row, derived from the effective record exactly as
    `analysis.tables.tables_from_sessions` derives them."""
    count = rec.get("participant_count")
    return {
        "kind": rec.get("kind") or "other",
        "title": _text_or_none(rec.get("title")),
        "session_date": _parse_date(rec.get("session_date")),
        "end_date": _parse_date(rec.get("end_date")),
        "time_range": _text_or_none(rec.get("time_range")),
        "venue": _text_or_none(rec.get("venue")),
        "province": _text_or_none(rec.get("province")),
        "participant_count": int(count) if count is not None else None,
        "n_turns": len(rec.get("turns") or []),
        "n_recommendations": len(rec.get("recommendations") or []),
    }


def _materialise(
    conn: Connection, entries: list[tuple[int, dict, dict]], fresh: bool = False
) -> None:
    """Rewrite the record columns of `sessions` and the long tables of each (session id,
    effective record, follow-ups by recommendation text) in `entries`: one statement per table
    for all of them.

    ``fresh``: the sessions were just inserted with their `session_columns` and have no rows in
    the long tables yet. Each value is derived exactly as `analysis.tables.tables_from_sessions`
    derives it, so the SQL path of `load_tables` returns the same frames.
    """
    if not entries:
        return
    if not fresh:
        now = _now()
        rows = [
            {"b_id": session_id, **{f"b_{k}": v for k, v in session_columns(rec).items()}}
            for session_id, rec, _ in entries
        ]
        conn.execute(
            sa.update(m.sessions)
            .where(m.sessions.c.id == sa.bindparam("b_id"))
            .values({key[2:]: sa.bindparam(key) for key in rows[0] if key != "b_id"})
            .values(updated_at=now),
            rows,
        )
        ids = [session_id for session_id, _, _ in entries]
        for table in m.MATERIALISED_TABLES:
            conn.execute(sa.delete(table).where(table.c.session_id.in_(ids)))

    agency_rows, turn_rows, rec_rows, rec_cats, themes = [], [], [], [], []
    for session_id, rec, followups in entries:
        canon = canonical_by_name(rec)
        agency_rows.extend(
            {"session_id": session_id, "seq": seq, **agency_entry(canon, name)}
            for seq, name in enumerate(rec.get("agencies") or [])
        )
        turn_rows.extend(
            turn_row(session_id, seq, t, canon) for seq, t in enumerate(rec.get("turns") or [])
        )
        cats = rec.get("recommendation_categories") or []
        for seq, text in enumerate(rec.get("recommendations") or []):
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
            rec_cats.append(cats[seq] if seq < len(cats) else ())
        themes.extend(
            {"session_id": session_id, "seq": seq, "theme": th}
            for seq, th in enumerate(rec.get("themes") or [])
        )

    if agency_rows:
        ids = _agency_ids(
            conn, [(a["canonical"], a["abbreviation"], a["type"]) for a in agency_rows]
        )
        for row, agency_id in zip(agency_rows, ids, strict=True):
            row["agency_id"] = agency_id
        conn.execute(sa.insert(m.session_agencies), agency_rows)
    if turn_rows:
        conn.execute(sa.insert(m.turns), turn_rows)
    if rec_rows:
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
        cat_rows = [
            {
                "recommendation_id": rid,
                "position": pos,
                "session_id": row["session_id"],
                "seq": row["seq"],
                "category": cat,
            }
            for rid, row, cats in zip(ids, rec_rows, rec_cats, strict=True)
            for pos, cat in enumerate(cats)
        ]
        if cat_rows:
            conn.execute(sa.insert(m.recommendation_categories), cat_rows)
    if themes:
        conn.execute(sa.insert(m.themes), themes)


def _corrections_rows(conn: Connection, session_ids=None):
    c = m.corrections
    query = sa.select(c).order_by(c.c.session_id, c.c.corrected_at, c.c.id)
    if session_ids is not None:
        query = query.where(c.c.session_id.in_(session_ids))
    return conn.execute(query).all()


def _refresh(conn: Connection, session_id: int) -> dict:
    """Recompute the effective record of one session and materialise it; returns it."""
    extracted = conn.execute(
        sa.select(m.sessions.c.extracted).where(m.sessions.c.id == session_id)
    ).scalar_one()
    return _refresh_many(conn, {session_id: extracted})[session_id]


def _refresh_many(conn: Connection, extracted: dict[int, dict]) -> dict[int, dict]:
    """Recompute and materialise the effective records of the sessions with the given
    extractions ({session id: extraction}, as the caller just wrote or read them): their
    corrections and follow-ups read in one query each. Returns {session id: record}."""
    ids = list(extracted)
    latest: dict[int, dict[str, Any]] = {}
    for row in _corrections_rows(conn, ids):  # in (corrected_at, id) order: the last one wins
        latest.setdefault(row.session_id, {})[row.field] = row.value
    followups: dict[int, dict[str, Any]] = {}
    f = m.followups
    for row in conn.execute(sa.select(f).where(f.c.session_id.in_(ids)).order_by(f.c.id)):
        followups.setdefault(row.session_id, {})[row.recommendation_text] = row
    records = {sid: effective_record(extracted[sid], latest.get(sid, {})) for sid in ids}
    store._materialise(conn, [(sid, records[sid], followups.get(sid, {})) for sid in ids])
    return records
