"""The recommendations page's questions in SQL: recommendations per category (GROUP BY), the
recommendation table paged in the database, and groups of similar recommendations.

Each returns what its namesake in `analysis.frames.recommendations` returns for the filtered
tables (the shaping steps are that module's). Who said a recommendation (the first turn of its
session whose text holds it, as `frames._recommendation_speakers` finds it) is found in SQL, for
the rows returned only (`speakers`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis import similarity
from analysis.filters import Filters
from analysis.frames import recommendations as fr
from analysis.store.engine import _tx
from analysis.store.loading import RECOMMENDATION_READ
from analysis.store.questions import scope
from analysis.tables import ACTED_ON

__all__ = [
    "recommendations_by_category",
    "recommendation_table",
    "recommendation_table_count",
    "similar_recommendation_groups",
    "similar_recommendation_groups_count",
]

r, s, t, rc = m.recommendations, m.sessions, m.turns, m.recommendation_categories
CHUNK = 5000  # ids per IN list (SQLite allows 32,766 parameters a statement)

# Above this many recommendations (after the filters) the similar groups are formed among the
# newest MAX_SIMILAR_RECOMMENDATIONS only: reading and grouping 10,000 texts takes about 0.5 s
# on one core (see `similar_recommendation_groups`).
MAX_SIMILAR_RECOMMENDATIONS = 10_000


# ----------------------------------------------------------------------------- shared


def contains(haystack, needle, dialect_name: str):
    """SQL for "`needle` is found in `haystack`" (both text), as Python's ``needle in haystack``
    for a non-empty needle."""
    if dialect_name == "postgresql":
        return sa.func.strpos(haystack, needle) > 0
    return sa.func.instr(haystack, needle) > 0


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def first_turn(bind: Engine | Connection):
    """SQL for the seq of the first turn of a recommendation's session that holds its text (a
    scalar subquery on `recommendations`; NULL when no turn does)."""
    said = t.alias("said")
    return (
        sa.select(sa.func.min(said.c.seq))
        .where(
            said.c.session_id == r.c.session_id,
            contains(said.c.text, r.c.text, scope.dialect_name(bind)),
        )
        .scalar_subquery()
    )


def speakers(bind: Engine | Connection, rec_ids: list[int]) -> dict[int, dict]:
    """recommendation id → {speaker, agency, speaker_role} of the first turn of its session that
    holds its text (ids of a recommendation said in no turn are absent)."""
    first = first_turn(bind)
    out: dict[int, dict] = {}
    with _tx(bind) as conn:
        for part in _chunks(rec_ids):
            found = sa.select(r.c.id, r.c.session_id, first.label("turn")).where(
                r.c.id.in_(part), r.c.text != ""
            )
            found = found.subquery()
            rows = conn.execute(
                sa.select(found.c.id, t.c.speaker, t.c.agency, t.c.speaker_role).join(
                    t, sa.and_(t.c.session_id == found.c.session_id, t.c.seq == found.c.turn)
                )
            ).all()
            for rec_id, speaker, agency, role in rows:
                out[rec_id] = {"speaker": speaker, "agency": agency, "speaker_role": role}
    return out


def with_speakers(bind: Engine | Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (with a recommendation_id column) and who said each: speaker, agency, speaker_role
    (None when no turn holds it)."""
    who = speakers(bind, [int(i) for i in rows["recommendation_id"]]) if len(rows) else {}
    none = {"speaker": None, "agency": None, "speaker_role": None}
    said = pd.DataFrame(
        [who.get(int(i), none) for i in rows["recommendation_id"]],
        index=rows.index,
        columns=fr.SPEAKER_COLUMNS,
    )
    return pd.concat([rows, said], axis=1)


def dates(values) -> pd.Series:
    """DATE values (dates, or ISO text on SQLite) as `load_tables` gives them: Timestamps."""
    iso = [None if v is None else str(v)[:10] for v in values]
    return pd.to_datetime(pd.Series(iso, dtype=object), errors="coerce")


def categories_of(bind: Engine | Connection, rec_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """recommendation id → its categories in order (absent: none)."""
    out: dict[int, list[str]] = {}
    with _tx(bind) as conn:
        for part in _chunks(rec_ids):
            rows = conn.execute(
                sa.select(rc.c.recommendation_id, rc.c.category)
                .where(rc.c.recommendation_id.in_(part))
                .order_by(rc.c.recommendation_id, rc.c.position)
            ).all()
            for rec_id, category in rows:
                out.setdefault(rec_id, []).append(category)
    return {k: tuple(v) for k, v in out.items()}


def in_category(category: str | None, *, counting: bool = False) -> list:
    """Conditions on `recommendations` for "in `category`" ("": in none; None: any). A page
    walks the recommendations newest first and stops at its LIMIT, so it asks each one (EXISTS);
    `counting` visits them all, so it builds the category's list of ids once (IN)."""
    if category is None:
        return []
    if category == "":
        return [~sa.exists().where(rc.c.recommendation_id == r.c.id)]
    if counting:
        return [r.c.id.in_(sa.select(rc.c.recommendation_id).where(rc.c.category == category))]
    return [sa.exists().where(rc.c.recommendation_id == r.c.id, rc.c.category == category)]


def newest_first() -> tuple:
    """The recommendation table's order: session date newest first (unknown last), session id
    descending, then seq. (So written, SQLite walks the sessions' session_date index and each
    session's recommendations in seq order: a LIMIT stops early instead of sorting them all.)"""
    return (s.c.session_date.desc().nulls_last(), s.c.id.desc(), r.c.seq)


def newest(filters: Filters, limit: int) -> sa.Select:
    """A SELECT of the ids of the newest `limit` recommendations of the filtered record sessions
    (in the recommendation table's order)."""
    return (
        sa.select(r.c.id)
        .join(s, s.c.id == r.c.session_id)
        .where(*scope.records(filters))
        .order_by(*newest_first())
        .limit(limit)
    )


def _numbered(page: pd.DataFrame, start: int) -> pd.DataFrame:
    """A page's rows indexed by their place in the whole list, as ``frame.iloc[start:stop]``
    keeps them (the page keys its edit widgets on the index: no two pages share one)."""
    page.index = pd.RangeIndex(start, start + len(page))
    return page


def _page(query, start: int, stop: int | None):
    query = query.offset(start) if start else query
    return query.limit(max(0, stop - start)) if stop is not None else query


# ----------------------------------------------------------------------------- questions


def recommendations_by_category(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.recommendations_by_category`: counted by GROUP BY over the categories of the
    filtered record sessions' recommendations (a recommendation in no category counts as "")."""
    category = sa.func.coalesce(rc.c.category, "")
    query = (
        sa.select(
            category.label("category"),
            sa.func.count().label("recommendations"),
            sa.func.count(sa.distinct(r.c.session_id)).label("sessions"),
            sa.func.sum(sa.case((r.c.status.in_(ACTED_ON), 1), else_=0)).label("acted_on"),
        )
        .select_from(r)
        .outerjoin(rc, rc.c.recommendation_id == r.c.id)
        .where(r.c.session_id.in_(scope.session_ids(filters, records_only=True)))
        .group_by(category)
    )
    return fr.by_category_shape(scope.read_frame(bind, query, fr.CATEGORY_COLUMNS))


def _table_query(filters: Filters, category: str | None):
    return (
        sa.select(*RECOMMENDATION_READ, s.c.title, s.c.session_date)
        .join(s, s.c.id == r.c.session_id)
        .where(*scope.records(filters), *in_category(category))
    )


def recommendation_table(
    bind: Engine | Connection,
    filters: Filters,
    category: str | None = None,
    start: int = 0,
    stop: int | None = None,
) -> pd.DataFrame:
    """Rows start:stop of `frames.recommendation_table` (ORDER BY, OFFSET and LIMIT in SQL), the
    categories and speakers read for those rows only."""
    query = _page(_table_query(filters, category).order_by(*newest_first()), start, stop)
    rows = scope.read_frame(bind, query)
    if rows.empty:
        return fr.recommendation_table_shape(
            pd.DataFrame(columns=[*rows.columns, "categories", *fr.SPEAKER_COLUMNS])
        )
    ids = [int(i) for i in rows["recommendation_id"]]
    cats = categories_of(bind, ids)
    rows = rows.assign(
        categories=[cats.get(i, ()) for i in ids],
        status=rows["status"].fillna("proposed"),
        due_date=dates(rows["due_date"]).to_numpy(),
        session_date=dates(rows["session_date"]).to_numpy(),
    )
    return _numbered(fr.recommendation_table_shape(with_speakers(bind, rows)), start)


def recommendation_table_count(
    bind: Engine | Connection, filters: Filters, category: str | None = None
) -> int:
    """How many rows `recommendation_table` has (COUNT in SQL; the sessions' ids looked up in a
    list built once, not each recommendation's session in the sessions table)."""
    query = (
        sa.select(sa.func.count())
        .select_from(r)
        .where(
            r.c.session_id.in_(scope.session_ids(filters, records_only=True)),
            *in_category(category, counting=True),
        )
    )
    with _tx(bind) as conn:
        return int(conn.execute(query).scalar_one())


# Reading and grouping the texts is the slow part (about 0.5 s for 10,000): the answer is kept
# for the few latest inputs, so the count and each page of one table group them once. An input
# is known by the ids of the recommendations read and the last change to their sessions (a
# correction re-materialises a session's recommendations and stamps its updated_at).
_GROUPS: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_GROUPS_KEPT = 4
_GROUPS_LOCK = threading.Lock()  # the dashboard's sessions run in threads of one process


def _fingerprint(bind: Engine | Connection, picked: sa.Select) -> tuple:
    with _tx(bind) as conn:
        return tuple(
            conn.execute(
                sa.select(sa.func.count(), sa.func.sum(r.c.id), sa.func.max(s.c.updated_at))
                .select_from(r)
                .join(s, s.c.id == r.c.session_id)
                .where(r.c.id.in_(picked))
            ).one()
        )


def _similar_members(bind: Engine | Connection, filters: Filters, threshold: float):
    """The sorted members of `frames.similar_groups` over the filtered recommendations (the
    newest MAX_SIMILAR_RECOMMENDATIONS of them when there are more)."""
    engine = bind.engine if isinstance(bind, Connection) else bind
    picked = newest(filters, MAX_SIMILAR_RECOMMENDATIONS)
    key = (
        engine.url.render_as_string(hide_password=True),
        _fingerprint(bind, picked),
        filters.key(),
        float(threshold),
    )
    with _GROUPS_LOCK:
        if key in _GROUPS:
            _GROUPS.move_to_end(key)
            return _GROUPS[key]
    query = (
        sa.select(
            r.c.id.label("recommendation_id"),
            r.c.session_id,
            r.c.seq,
            r.c.text,
            s.c.title,
            s.c.session_date,
        )
        .join(s, s.c.id == r.c.session_id)
        .where(r.c.id.in_(picked))
    )
    recs = scope.read_frame(bind, query)
    if not recs.empty:
        recs = recs.sort_values(["session_id", "seq"]).reset_index(drop=True)
        recs["session_date"] = dates(recs["session_date"]).to_numpy()
    members = fr.similar_groups_sorted(fr.similar_groups(recs, threshold))
    with _GROUPS_LOCK:
        _GROUPS[key] = members
        while len(_GROUPS) > _GROUPS_KEPT:
            _GROUPS.popitem(last=False)
    return members


def similar_recommendation_groups(
    bind: Engine | Connection,
    filters: Filters,
    threshold: float = similarity.DEFAULT_THRESHOLD,
    start: int = 0,
    stop: int | None = None,
) -> pd.DataFrame:
    """Rows start:stop of `frames.similar_recommendation_groups`, speakers read for those rows.

    Exactly the pandas answer while the filtered record sessions hold at most
    MAX_SIMILAR_RECOMMENDATIONS (10,000) recommendations, about 2,000 sessions. Above that the
    groups are formed among the newest 10,000 of them (by session date, then session, as the
    recommendation table lists them): grouping all 367,000 recommendations of the synthetic
    100,000-session bench store takes 5-7 s on one core (texts drawn from a small pool; distinct
    real texts share fewer 3-grams but cost more pairs), against about 0.2 s for 10,000, and a
    programme's recurring proposals recur among its recent sessions too. Narrow the filters (a
    fiscal year, a province) to group an older period.
    """
    members = _similar_members(bind, filters, threshold)
    rows = members.iloc[start:stop]
    if rows.empty:
        return fr.similar_groups_shape(rows)
    return _numbered(fr.similar_groups_shape(with_speakers(bind, rows)), start)


def similar_recommendation_groups_count(
    bind: Engine | Connection, filters: Filters, threshold: float = similarity.DEFAULT_THRESHOLD
) -> int:
    """How many rows `similar_recommendation_groups` has."""
    return len(_similar_members(bind, filters, threshold))
