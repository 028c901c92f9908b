"""Reading whole programmes for the dashboard: programme names, the effective session dicts
and the long tables of `analysis.tables`, read straight from the materialised tables.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.store.effective import _corrections_rows, effective_record
from analysis.store.engine import (
    _iso,
    _tx,
)
from analysis.tables import (
    AGENCY_COLUMNS,
    RECOMMENDATION_CATEGORY_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RECORD_KINDS,
    SESSION_COLUMNS,
    THEME_COLUMNS,
    TURN_COLUMNS,
    ProgrammeTables,
    datetimes,
    tables_from_sessions,
)

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


# The recommendation columns of `analysis.tables` as read from the store (also by the
# recommendation table's SQL question, which adds its sessions' title and date).
RECOMMENDATION_READ = (
    m.recommendations.c.id.label("recommendation_id"),
    m.recommendations.c.session_id,
    m.recommendations.c.seq,
    m.recommendations.c.text,
    m.recommendations.c.status,
    m.recommendations.c.owner_agency,
    m.recommendations.c.due_date,
    m.recommendations.c.note,
)
FETCH_ROWS = 20_000  # rows per round trip of the bulk reads: a batch, never the whole table


def _fetch_columns(
    conn: Connection, query, shared: tuple[str, ...] = (), pool: dict | None = None
) -> dict[str, list]:
    """The columns of a Core query's result, read FETCH_ROWS rows at a time.

    Skips SQLAlchemy's per-row processing (the query is compiled with bound parameters as
    usual); values come as the driver gives them: dates may be ISO strings on SQLite. Columns
    are keyed by their label. The columns named in `shared` hold few distinct values (agency
    names, roles, themes, statuses): each distinct value is kept once in `pool`, so a million
    rows of them cost a pointer each while loading, not a string each. Holding columns instead
    of row tuples, one batch at a time, keeps the peak of a large read near its result's size.
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    pool = {} if pool is None else pool
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        names = [d[0] for d in cursor.description]
        columns: dict[str, list] = {name: [] for name in names}
        while rows := cursor.fetchmany(FETCH_ROWS):
            for name, values in zip(names, zip(*rows, strict=True), strict=True):
                if name in shared:
                    columns[name].extend(map(pool.setdefault, values, values))
                else:
                    columns[name].extend(values)
            del rows
    finally:
        cursor.close()
    return columns


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk read: it makes no cycles, and every full
    collection would walk the millions of values held in the growing columns (at 100,000
    sessions this doubled `load_tables`' CPU time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _frame(names: list[str], columns: dict[str, list]) -> pd.DataFrame:
    """A DataFrame of the named equal-length columns (object dtype when empty, as from no rows)."""
    if not columns[names[0]]:
        return pd.DataFrame([], columns=names)
    return pd.DataFrame({name: columns[name] for name in names}, columns=names)


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


@_without_gc()
def load_tables(
    bind: Engine | Connection, programme: str | None = None, session_ids=None
) -> ProgrammeTables:
    """The programme's long tables, read straight from the materialised SQL tables.

    Returns exactly what ``tables_from_sessions(load_effective_sessions(...))`` returns (same
    columns, dtypes and row order; tests check this) in a fraction of the time: about 1 s for
    10,000 sessions (bench/store.py). Columns are read a batch at a time and repeated values
    are shared (`_fetch_columns`), so memory stays near the size of the tables themselves.

    `session_ids` (a list of ids, or a SELECT of them such as
    `questions.scope.session_ids(filters)`) restricts every table to those sessions: what a page
    question reads when it needs a few sessions' rows (quotes, a drill-down, a sample).
    """
    s, p = m.sessions, m.programmes

    if session_ids is not None and not isinstance(session_ids, sa.Select):
        session_ids = sorted({int(i) for i in session_ids})

    def scoped(query, table):
        if session_ids is not None:
            query = query.where(table.c.session_id.in_(session_ids))
        if programme is None:
            return query
        return (
            query.join(s, s.c.id == table.c.session_id)
            .join(p, p.c.id == s.c.programme_id)
            .where(p.c.name == programme)
        )

    sa_t, t, r = m.session_agencies, m.turns, m.recommendations
    rc, th = m.recommendation_categories, m.themes
    pool: dict = {}

    def long_table(conn: Connection, names: list[str], table, shared: tuple[str, ...]):
        """A long table whose columns are the SQL table's, in order of session and seq; built
        at once, so that the next read does not hold this one's values as well."""
        query = scoped(sa.select(*(table.c[name] for name in names)), table)
        return _frame(
            names,
            _fetch_columns(
                conn, query.order_by(table.c.session_id, table.c.seq), shared=shared, pool=pool
            ),
        )

    with _tx(bind) as conn:
        session = _fetch_columns(
            conn,
            _programme_filter(
                sa.select(
                    s.c.id.label("session_id"),
                    p.c.name.label("programme"),
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
                )
                .join(p, p.c.id == s.c.programme_id)
                .where(s.c.id.in_(session_ids) if session_ids is not None else sa.true()),
                programme,
            ).order_by(s.c.id),
            shared=("programme", "kind", "time_range", "venue", "province", "reviewed_by"),
            pool=pool,
        )
        agencies_df = long_table(
            conn, AGENCY_COLUMNS, sa_t, ("as_written", "canonical", "abbreviation", "type")
        )
        turns_df = long_table(
            conn, TURN_COLUMNS, t, ("speaker", "agency", "agency_canonical", "speaker_role")
        )
        recs = _fetch_columns(
            conn,
            scoped(
                sa.select(*RECOMMENDATION_READ),
                r,
            ).order_by(r.c.session_id, r.c.seq),
            shared=("status", "owner_agency"),
            pool=pool,
        )
        cats = _fetch_columns(
            conn,
            scoped(
                sa.select(rc.c.recommendation_id, rc.c.session_id, rc.c.seq, rc.c.category),
                rc,
            ).order_by(rc.c.session_id, rc.c.seq, rc.c.position),
            shared=("category",),
            pool=pool,
        )
        themes_df = long_table(conn, THEME_COLUMNS, th, ("theme",))

    starts = [_iso_date(v) for v in session["session_date"]]
    session.update(
        is_record=[kind in RECORD_KINDS for kind in session["kind"]],
        session_date=starts,
        end_date=[_iso_date(v) for v in session["end_date"]],
        fiscal_year=[_fiscal_year(v) for v in starts],
        review_state=["reviewed" if who else "unreviewed" for who in session["reviewed_by"]],
    )
    sessions_df = _frame(SESSION_COLUMNS, session)
    for col in ("session_date", "end_date", "reviewed_at", "imported_at"):
        sessions_df[col] = datetimes(sessions_df[col])
    for col in ("fiscal_year", "participant_count"):
        sessions_df[col] = sessions_df[col].astype("Int64")
    sessions_df["is_record"] = sessions_df["is_record"].astype(bool)

    categories: dict[int, list[str]] = {}
    for rec_id, category in zip(cats["recommendation_id"], cats["category"], strict=True):
        categories.setdefault(rec_id, []).append(category)
    recs.update(
        categories=[
            pool.setdefault(c, c)
            for c in (tuple(categories.get(i, ())) for i in recs["recommendation_id"])
        ],
        status=[status or "proposed" for status in recs["status"]],
        due_date=[_iso_date(v) for v in recs["due_date"]],
    )
    recs_df = _frame(RECOMMENDATION_COLUMNS, recs)
    recs_df["due_date"] = datetimes(recs_df["due_date"])
    return ProgrammeTables(
        sessions=sessions_df,
        agencies=agencies_df,
        turns=turns_df,
        recommendations=recs_df,
        recommendation_categories=_frame(RECOMMENDATION_CATEGORY_COLUMNS, cats),
        themes=themes_df,
    )


def load_tables_from_records(bind: Engine | Connection, programme: str | None = None):
    """The reference path of `load_tables` (slow; for tests and checks)."""
    return tables_from_sessions(load_effective_sessions(bind, programme))
