"""ประเด็น Themes page questions in SQL: each returns what its namesake in
`analysis.frames.themes` returns for the filtered tables.

Counts are GROUP BY over `themes` and the record sessions that pass the filters; pairs, provinces
and time bins are counted from each session's mask of top themes (`questions.agencies.masks`).
Time bins come back per month ('YYYY-MM') and are summed into quarters or fiscal years by the
shared shaping code. Key phrases pick their sample of
sessions from the ids read in SQL (the same seeded sample as the pandas version) and then read
only those sessions' titles, turns and recommendations.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import themes as pf
from analysis.store.engine import _tx
from analysis.store.questions import scope
from analysis.store.questions.agencies import (
    crossed,
    distinct_sessions,
    per_month,
    per_value,
    together,
    top_agencies,
    top_themes,
)

__all__ = [
    "theme_counts",
    "themes_over_time",
    "themes_over_quarters",
    "themes_by_agency_counted",
    "themes_by_province",
    "theme_cooccurrence",
    "key_phrases",
]

s, sa_t = m.sessions, m.session_agencies
th = m.themes.alias("th")  # an alias, as in `questions.agencies`


def theme_counts(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.theme_counts` in SQL: sessions per theme and the number of record sessions."""
    with _tx(bind) as conn:
        counts = distinct_sessions(conn, th.c.theme, filters)
        n = scope.count_sessions(conn, filters, records_only=True)
    return pf.counts_frame(counts, n)


def themes_over_time(
    bind: Engine | Connection, filters: Filters, grain: str = "fiscal_year", top: int = 8
) -> pd.DataFrame:
    """`frames.themes_over_time` in SQL: the top themes' sessions per month, binned by `grain`."""
    if grain not in ("fiscal_year", "month"):
        raise ValueError(f"unknown grain {grain!r}; use 'fiscal_year' or 'month'")
    with _tx(bind) as conn:
        themes = top_themes(conn, filters, top)
        months = per_month(conn, filters, th.c.theme, themes, "theme")
    return pf.over_time_frame(months, themes, grain)


def themes_over_quarters(bind: Engine | Connection, filters: Filters, top: int = 8) -> pd.DataFrame:
    """`frames.themes_over_quarters` in SQL: per month, then summed by fiscal quarter over every
    quarter from the first to the last dated record session."""
    with _tx(bind) as conn:
        themes = top_themes(conn, filters, top)
        months = per_month(conn, filters, th.c.theme, themes, "theme")
        lo, hi = conn.execute(
            sa.select(sa.func.min(s.c.session_date), sa.func.max(s.c.session_date)).where(
                *scope.records(filters)
            )
        ).one()
    span = None if lo is None else tuple(scope.as_date(d).strftime("%Y-%m") for d in (lo, hi))
    return pf.quarters_frame(months, themes, span)


def themes_by_agency_counted(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.themes_by_agency_counted` in SQL: the agency × theme matrix, and per theme the
    distinct sessions raising it that one of the shown agencies attended."""
    top_a, top_t = 8, 10  # `frames.themes_by_agency`'s defaults
    with _tx(bind) as conn:
        agencies = top_agencies(conn, filters, max(top_a, top_t))
        themes = top_themes(conn, filters, max(top_a, top_t))
        pairs, distinct = crossed(
            conn, filters, (sa_t.c.canonical, agencies), (th.c.theme, themes), ("a", "t"), top_a
        )
    matrix = pf.matrix_frame(pairs, agencies, themes, ("agency", "theme"))
    return pf.counted_frame(pf.by_agency_frame(matrix, top_a, top_t), distinct)


def themes_by_province(bind: Engine | Connection, filters: Filters, top: int = 12) -> pd.DataFrame:
    """`frames.themes_by_province` in SQL: the top themes and provinces, then sessions per pair."""
    with _tx(bind) as conn:
        themes = top_themes(conn, filters, top)
        rows = conn.execute(
            sa.select(s.c.province, sa.func.count())
            .where(*scope.records(filters), s.c.province.is_not(None))
            .group_by(s.c.province)
        ).all()
        provinces = pf.most_first({str(p): int(n) for p, n in rows}, top)
        long = per_value(
            conn,
            filters,
            th.c.theme,
            themes,
            s.c.province,
            ("province", "theme"),
            s.c.province.in_(provinces),
        )
    return pf.matrix_frame(
        long[["theme", "province", "sessions"]], themes, provinces, ("theme", "province")
    )


def theme_cooccurrence(bind: Engine | Connection, filters: Filters, top: int = 12) -> pd.DataFrame:
    """`frames.theme_cooccurrence` in SQL: the top themes held by each session, counted."""
    with _tx(bind) as conn:
        themes = top_themes(conn, filters, top)
        long = together(conn, filters, th.c.theme, themes, ("t", "o"))
    return pf.matrix_frame(long, themes, themes, ("theme", "other"))


def key_phrases(
    bind: Engine | Connection,
    filters: Filters,
    top: int = 25,
    max_documents: int = pf.MAX_KEY_PHRASE_DOCUMENTS,
    seed: int = 0,
) -> pd.DataFrame:
    """`frames.key_phrases` in SQL: the record sessions' ids, the same seeded sample of them as
    the pandas version (`frames.themes.key_phrase_sample`), then only those sessions' texts."""
    with _tx(bind) as conn:
        every = conn.execute(sa.select(s.c.id).where(*scope.records(filters))).scalars()
        ids = pf.key_phrase_sample(every, max_documents, seed)
        titles = dict(conn.execute(sa.select(s.c.id, s.c.title).where(s.c.id.in_(ids))).all())
        turns, recs = (
            scope.read_frame(
                conn,
                sa.select(table.c.session_id, table.c.text)
                .where(table.c.session_id.in_(ids))
                .order_by(table.c.session_id, table.c.seq),
                ["session_id", "text"],
            )
            for table in (m.turns, m.recommendations)
        )
    return pf.phrases_frame(pf.session_documents(ids, titles, turns, recs), top)
