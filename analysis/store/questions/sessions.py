"""The sessions page's questions in SQL: the session list newest first, paged in the database
(the agencies joined only for the rows of the page), the latest sessions, the word search and
its matches in context; and the review queue, paged likewise.

The search looks for every query word (`analysis.frames.query_terms`) in each session's
searchable texts with ``EXISTS (...)``, the word matched literally (``LIKE`` with ``%``, ``_``
and the escape character escaped on SQLite, ``strpos`` on PostgreSQL); see `found`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import query_terms
from analysis.frames.sessions import (
    MATCH_COLUMNS,
    agency_names,
    matches_frame,
    review_queue_table,
    session_list,
)
from analysis.store.questions.overview import reading, reviewed
from analysis.store.questions.scope import as_date, records, where

__all__ = [
    "session_table",
    "session_table_count",
    "latest_sessions",
    "search_sessions",
    "search_sessions_count",
    "search_matches",
]

s = m.sessions

# what load_tables gives these columns, so a page of rows (even an empty one, or one whose
# titles are all unknown) has the dtypes of the pandas list
LIST_DTYPES = {
    "session_id": "int64",
    "session_date": "datetime64[us]",
    "title": "str",
    "province": "str",
    "kind": "str",
    "n_turns": "int64",
    "n_recommendations": "int64",
    "review_state": "str",
}
NEWEST_FIRST = (s.c.session_date.desc().nulls_last(), s.c.id.desc())
# the same order on an expression, so that the database reads the table in its own order and
# sorts what it keeps instead of walking the date index (one random read per session)
SORTED_NEWEST_FIRST = (
    sa.func.coalesce(s.c.session_date, s.c.session_date).desc().nulls_last(),
    s.c.id.desc(),
)
# how many of the newest sessions to look through for a page, in multiples of its end row,
# before reading every session (see `_page_ids`)
PROBES = (2, 16, 128)


def _page(conn: Connection, query: sa.Select, start: int, stop: int | None) -> list:
    """Rows start:stop of an ordered query (OFFSET and LIMIT; none read for an empty range)."""
    start = max(0, int(start))
    if stop is not None and int(stop) <= start:
        return []
    if start:
        query = query.offset(start)
    if stop is not None:
        query = query.limit(int(stop) - start)
    return conn.execute(query).all()


def _page_ids(conn: Connection, conditions: Sequence, start: int, stop: int) -> list[int]:
    """Ids start:stop of the sessions meeting `conditions`, newest first.

    Walking the date index newest first is fastest when most sessions qualify and slowest
    when few do (a search for a rare word visits every session in date order, one random read
    each: 7 s at 100,000 sessions). So the newest ``stop × k`` sessions are looked through
    first, k in PROBES: when they hold `stop` qualifying sessions, those are the first `stop`
    of all (every other one is older); else every session is read in table order and what
    qualifies is sorted (2 s at 100,000 sessions for a search)."""
    for k in PROBES:
        newest = sa.select(s.c.id).order_by(*NEWEST_FIRST).limit(stop * k)
        got = list(
            conn.execute(
                sa.select(s.c.id)
                .where(s.c.id.in_(newest), *conditions)
                .order_by(*NEWEST_FIRST)
                .limit(stop)
            ).scalars()
        )
        if len(got) == stop:
            return got[start:]
    query = sa.select(s.c.id).where(*_table_order(conditions, conn.dialect.name))
    return [row[0] for row in _page(conn, query.order_by(*SORTED_NEWEST_FIRST), start, stop)]


def _table_order(conditions: Sequence, dialect_name: str) -> list:
    """`conditions` as SQLite will test them on every row in table order: as one expression,
    so that it reads no index (with an index on kind, SQLite read the sessions in the index's
    order, one random read each: 10 s instead of 4 s at 100,000 sessions)."""
    if dialect_name != "sqlite" or not conditions:
        return list(conditions)
    return [sa.func.coalesce(sa.and_(*conditions), sa.false(), type_=sa.Boolean)]


def _rows(bind: Engine | Connection, conditions: Sequence, start: int, stop: int | None):
    """Rows start:stop of the list of the sessions meeting `conditions`, newest first (the
    whole list from `start` when `stop` is None: read in one sorted pass, ids never listed)."""
    review_state = sa.case((reviewed() == 1, "reviewed"), else_="unreviewed")
    columns = sa.select(
        s.c.id.label("session_id"),
        s.c.session_date,
        s.c.title,
        s.c.province,
        s.c.kind,
        s.c.n_turns,
        s.c.n_recommendations,
        review_state.label("review_state"),
    )
    a = m.session_agencies
    start = max(0, int(start))
    with reading(bind) as conn:
        if stop is None:
            every = columns.where(*_table_order(conditions, conn.dialect.name))
            rows = _page(conn, every.order_by(*SORTED_NEWEST_FIRST), start, None)
            named = a.c.session_id.in_(sa.select(s.c.id).where(*conditions))
        else:
            ids = _page_ids(conn, conditions, start, int(stop)) if int(stop) > start else []
            rows = (
                conn.execute(columns.where(s.c.id.in_(ids)).order_by(*NEWEST_FIRST)).all()
                if ids
                else []
            )
            named = a.c.session_id.in_(ids)
        agencies = (
            conn.execute(
                sa.select(a.c.session_id, a.c.canonical)
                .where(named)
                .order_by(a.c.session_id, a.c.seq)
            ).all()
            if rows
            else []
        )
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(LIST_DTYPES))
    frame["session_date"] = pd.to_datetime(
        [None if d is None else as_date(d).isoformat() for d in frame["session_date"]],
        errors="coerce",
    )
    frame = frame.astype(LIST_DTYPES)
    names = agency_names(
        pd.DataFrame([tuple(r) for r in agencies], columns=["session_id", "canonical"])
    )
    return session_list(frame, names)


def _count(bind: Engine | Connection, conditions: Sequence) -> int:
    with reading(bind) as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(s).where(*conditions)).scalar_one()
        )


def session_table(
    bind: Engine | Connection, filters: Filters, start: int = 0, stop: int | None = None
) -> pd.DataFrame:
    """Rows start:stop of `frames.session_table`: every text passing the filters, newest first
    (undated last, then the newest id first), with its agencies joined."""
    return _rows(bind, where(filters), start, stop)


def session_table_count(bind: Engine | Connection, filters: Filters) -> int:
    return _count(bind, where(filters))


def latest_sessions(bind: Engine | Connection, filters: Filters, n: int = 10) -> pd.DataFrame:
    """`frames.latest_sessions`: the `n` most recent record sessions."""
    return _rows(bind, records(filters), 0, n)


# ----------------------------------------------------------------------------- search


def found(term: str, dialect_name: str):
    """SQL true when `term` (lower-case, as `query_terms` gives it) occurs in one of the
    session's searchable texts: its title, venue, province or file name, an agency as written
    or canonical, a turn's speaker, agency or text, a recommendation, a theme.

    The term is matched literally: on SQLite with ``LIKE '%term%'``, the term's ``%``, ``_``
    and ``/`` escaped; on PostgreSQL with ``strpos(text, term) > 0``, which has no wildcard at
    all and reads Thai text 4 times faster than LIKE (9 times faster than lower() and LIKE; a
    pg_trgm index, if one is added, serves LIKE and not strpos). Case: the pandas search
    lower-cases the texts. SQLite's LIKE ignores the case of ASCII letters and its lower()
    changes nothing else, so there the texts are compared as they are; PostgreSQL compares
    case-sensitively, so there the texts are lower-cased for a term that holds a letter with
    case (none does in Thai: lower-casing a text cannot change whether such a term is in it).
    Upper-case letters beyond ASCII therefore match only on PostgreSQL.

    Differences from `frames.search_sessions`, which looks in one text per session (all its
    texts joined by spaces and line breaks): a term found only across two texts (the end of one
    and the start of the next, with the separator between) is not found here; `query_terms`
    gives words without spaces, so this cannot happen for a term made of letters alone.
    """

    cased = term != term.upper()  # a letter that has case (Latin; Thai has none)

    def has(column):
        if dialect_name == "postgresql":
            return sa.func.strpos(sa.func.lower(column) if cased else column, term) > 0
        return column.contains(term, autoescape=True)

    a, th, r, t = m.session_agencies, m.themes, m.recommendations, m.turns
    return sa.or_(
        has(s.c.title),
        has(s.c.venue),
        has(s.c.province),
        has(s.c.source_name),
        sa.exists().where(
            a.c.session_id == s.c.id, sa.or_(has(a.c.as_written), has(a.c.canonical))
        ),
        sa.exists().where(th.c.session_id == s.c.id, has(th.c.theme)),
        sa.exists().where(r.c.session_id == s.c.id, has(r.c.text)),
        sa.exists().where(
            t.c.session_id == s.c.id, sa.or_(has(t.c.speaker), has(t.c.agency), has(t.c.text))
        ),
    )


def _searched(bind: Engine | Connection, filters: Filters, query: str) -> list:
    """The conditions of a search: the filters and every query word found."""
    dialect = bind.dialect.name
    return [*where(filters), *(found(term, dialect) for term in query_terms(query or ""))]


def search_sessions(
    bind: Engine | Connection,
    filters: Filters,
    query: str,
    start: int = 0,
    stop: int | None = None,
) -> pd.DataFrame:
    """Rows start:stop of `frames.search_sessions`: the session list restricted to the sessions
    holding every query word (all of them for an empty query)."""
    return _rows(bind, _searched(bind, filters, query), start, stop)


def search_sessions_count(bind: Engine | Connection, filters: Filters, query: str) -> int:
    """How many sessions `search_sessions` lists: every session's texts are read for a search,
    so in table order (`_table_order`); without one, an index may count them."""
    conditions = _searched(bind, filters, query)
    if query_terms(query or ""):
        conditions = _table_order(conditions, bind.dialect.name)
    return _count(bind, conditions)


def search_matches(
    bind: Engine | Connection,
    filters: Filters,
    query: str,
    session_ids: Sequence[int] | None = None,
    per_session: int = 3,
    width: int = 60,
) -> pd.DataFrame:
    """`frames.search_matches`: the words around each query word in the sessions the search
    finds, only those of `session_ids` when given (a page's rows: only their texts are read)."""
    terms = query_terms(query or "")
    if not terms:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    conditions = _searched(bind, filters, query)
    if session_ids is not None:
        conditions.append(s.c.id.in_([int(i) for i in session_ids]))
    ids = sa.select(s.c.id).where(*conditions)
    a, r, t = m.session_agencies, m.recommendations, m.turns
    with reading(bind) as conn:
        order = list(conn.execute(ids.order_by(*NEWEST_FIRST)).scalars())
        if not order:
            return pd.DataFrame(columns=MATCH_COLUMNS)
        # a page's few ids as they are (the search is not run again); all found: the SELECT
        within = order if session_ids is not None else ids
        texts = {
            ("title", "title"): sa.select(s.c.id.label("session_id"), s.c.title)
            .where(s.c.id.in_(within))
            .order_by(s.c.id),
            ("turn", "text"): sa.select(
                t.c.session_id, t.c.text, t.c.speaker, t.c.agency, t.c.speaker_role
            )
            .where(t.c.session_id.in_(within))
            .order_by(t.c.session_id, t.c.seq),
            ("recommendation", "text"): sa.select(r.c.session_id, r.c.text)
            .where(r.c.session_id.in_(within))
            .order_by(r.c.session_id, r.c.seq),
            ("agency", "as_written"): sa.select(a.c.session_id, a.c.as_written)
            .where(a.c.session_id.in_(within))
            .order_by(a.c.session_id, a.c.seq),
        }
        sources = []
        for (place, column), query_ in texts.items():
            result = conn.execute(query_)
            rows = [tuple(x) for x in result]
            sources.append((place, pd.DataFrame(rows, columns=list(result.keys())), column))
    return matches_frame(order, sources, terms, per_session, width)


# ----------------------------------------------------------------------------- review queue
# Not filter questions (the queue is every kind of the chosen programme): the import and review
# page calls these directly. Same rows and order as `store.review_queue` (oldest import first).


def _queue_conditions(programme: str | None) -> list:
    out = [s.c.reviewed_by.is_(None)]
    if programme is not None:
        out.append(
            s.c.programme_id.in_(
                sa.select(m.programmes.c.id).where(m.programmes.c.name == programme)
            )
        )
    return out


def review_queue_rows(
    bind: Engine | Connection,
    programme: str | None = None,
    start: int = 0,
    stop: int | None = None,
) -> pd.DataFrame:
    """Rows start:stop of ``frames.review_queue_table(store.review_queue(bind, programme))``."""
    p = m.programmes
    query = (
        sa.select(
            s.c.id.label("session_id"),
            s.c.source_name,
            s.c.kind,
            s.c.title,
            s.c.session_date,
            p.c.name.label("programme"),
            s.c.imported_at,
        )
        .join(p, p.c.id == s.c.programme_id)
        .where(*_queue_conditions(programme))
        .order_by(s.c.imported_at, s.c.id)
    )
    with reading(bind) as conn:
        rows = [r._asdict() for r in _page(conn, query, start, stop)]
    return review_queue_table(rows)


def review_queue_count(bind: Engine | Connection, programme: str | None = None) -> int:
    """How many texts of `programme` (every programme: None) nobody has reviewed."""
    return _count(bind, _queue_conditions(programme))


def review_queue_ids(bind: Engine | Connection, programme: str | None = None) -> list[int]:
    """The queued texts' ids in queue order (one light SELECT of ids)."""
    with reading(bind) as conn:
        return [
            int(i)
            for i in conn.execute(
                sa.select(s.c.id)
                .where(*_queue_conditions(programme))
                .order_by(s.c.imported_at, s.c.id)
            ).scalars()
        ]
