"""หน่วยงาน Agencies page questions in SQL: each returns what its namesake in
`analysis.frames.agencies` returns for the filtered tables.

The counting is done by the database (GROUP BY over `session_agencies` and `turns` joined to the
record sessions that pass the filters, COUNT(DISTINCT session_id) for sessions); the aggregated
rows (one per agency, role, agency pair or month) are shaped by the same functions the pandas
versions use. The top agencies and themes are ranked in Python from their counts (a few dozen
rows), most sessions first and ties in code-point order, so that PostgreSQL's collation cannot
order them differently from the pandas version.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import agencies as pf
from analysis.store.engine import _tx
from analysis.store.questions import scope

__all__ = [
    "participation_by_agency",
    "share_of_voice_by_role",
    "agency_theme_matrix",
    "agency_coattendance",
    "agency_trend",
]

# Aliases: the filters' EXISTS subqueries on session_agencies and themes (`scope.where`) would
# otherwise correlate with these tables in our FROM and lose theirs.
s = m.sessions
sa_t, th, t = m.session_agencies.alias("a"), m.themes.alias("th"), m.turns.alias("tu")


def of_records(table: sa.Table, filters: Filters) -> sa.Select:
    """``FROM table JOIN sessions``, restricted to the record sessions that pass `filters`
    (select the columns with `.with_only_columns` or `.add_columns`)."""
    return (
        sa.select()
        .select_from(table.join(s, s.c.id == table.c.session_id))
        .where(*scope.records(filters))
    )


def distinct_sessions(conn: Connection, column, filters: Filters, *where) -> dict[str, int]:
    """Value of `column` (of session_agencies or themes) → distinct record sessions holding it."""
    rows = conn.execute(
        of_records(column.table, filters)
        .add_columns(column, sa.func.count(sa.distinct(column.table.c.session_id)))
        .where(*where)
        .group_by(column)
    ).all()
    return {str(name): int(n) for name, n in rows}


def top_agencies(conn: Connection, filters: Filters, top: int) -> list[str]:
    return pf.most_first(distinct_sessions(conn, sa_t.c.canonical, filters), top)


def top_themes(conn: Connection, filters: Filters, top: int) -> list[str]:
    return pf.most_first(distinct_sessions(conn, th.c.theme, filters), top)


def pairs(
    conn: Connection,
    filters: Filters,
    left,
    right,
    left_values: Sequence[str],
    right_values: Sequence[str],
    names: tuple[str, str],
) -> pd.DataFrame:
    """Distinct record sessions per (left, right) value, `left` and `right` being columns of
    two session children (aliases when the same table) joined on the session, each restricted
    to the given values: [names[0], names[1], sessions]."""
    lt, rt = left.table, right.table
    query = (
        sa.select(left, right, sa.func.count(sa.distinct(lt.c.session_id)))
        .select_from(
            lt.join(rt, rt.c.session_id == lt.c.session_id).join(s, s.c.id == lt.c.session_id)
        )
        .where(*scope.records(filters), left.in_(list(left_values)), right.in_(list(right_values)))
        .group_by(left, right)
    )
    return scope.read_frame(conn, query, [*names, "sessions"])


def per_month(
    conn: Connection, filters: Filters, column, values: Sequence[str], name: str
) -> pd.DataFrame:
    """[month, name, sessions]: dated record sessions holding each of `values` per month."""
    month = scope.month_of(s.c.session_date, conn.dialect.name)
    query = (
        of_records(column.table, filters)
        .add_columns(month, column, sa.func.count(sa.distinct(column.table.c.session_id)))
        .where(s.c.session_date.is_not(None), column.in_(list(values)))
        .group_by(month, column)
    )
    return scope.read_frame(conn, query, ["month", name, "sessions"])


def voice(filters: Filters, by) -> sa.Select:
    """Per value of the turns' column `by`: turns, characters, distinct speakers."""
    return (
        of_records(t, filters)
        .add_columns(
            by, sa.func.count(), sa.func.sum(t.c.chars), sa.func.count(sa.distinct(t.c.speaker))
        )
        .group_by(by)
    )


# ----------------------------------------------------------------------------- questions


def participation_by_agency(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.participation_by_agency` in SQL: attendance per agency, and turns, characters and
    people per turn agency (the NULL group gives the characters of turns without one)."""
    first = (
        of_records(sa_t, filters)
        .add_columns(
            sa_t.c.canonical.label("agency"),
            sa.func.count(sa.distinct(sa_t.c.session_id)).label("sessions"),
            sa.func.min(sa_t.c.session_id).label("first_id"),
        )
        .group_by(sa_t.c.canonical)
        .subquery()
    )
    with _tx(bind) as conn:
        attended = conn.execute(
            sa.select(first.c.agency, first.c.sessions, sa_t.c.type)
            .join(
                sa_t,
                sa.and_(sa_t.c.session_id == first.c.first_id, sa_t.c.canonical == first.c.agency),
            )
            .order_by(sa_t.c.session_id, sa_t.c.seq)
        ).all()
        spoken = conn.execute(voice(filters, t.c.agency_canonical)).all()
    types: dict[str, tuple] = {}
    for agency, sessions, kind in attended:  # the type of its first row, as pandas' "first"
        types.setdefault(agency, (agency, int(sessions), kind))
    total = sum(int(chars or 0) for _, _, chars, _ in spoken)
    return pf.participation_frame(
        pd.DataFrame(list(types.values()), columns=pf.ATTENDED_COLUMNS),
        pd.DataFrame(
            [(a, int(n), int(c), int(p)) for a, n, c, p in spoken if a is not None],
            columns=pf.SPOKEN_COLUMNS,
        ),
        total,
    )


def share_of_voice_by_role(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.share_of_voice_by_role` in SQL: one GROUP BY speaker_role over the turns."""
    by_role = scope.read_frame(bind, voice(filters, t.c.speaker_role), pf.ROLE_COLUMNS)
    return pf.role_frame(by_role, int(by_role["chars"].sum()) if len(by_role) else 0)


def agency_theme_matrix(bind: Engine | Connection, filters: Filters, top: int = 15) -> pd.DataFrame:
    """`frames.agency_theme_matrix` in SQL: the top agencies and themes, then sessions per pair."""
    with _tx(bind) as conn:
        agencies, themes = top_agencies(conn, filters, top), top_themes(conn, filters, top)
        long = pairs(conn, filters, sa_t.c.canonical, th.c.theme, agencies, themes, ("a", "t"))
    return pf.matrix_frame(long, agencies, themes, ("agency", "theme"))


def agency_coattendance(bind: Engine | Connection, filters: Filters, top: int = 15) -> pd.DataFrame:
    """`frames.agency_coattendance` in SQL: a self-join of the top agencies' attendances."""
    other = m.session_agencies.alias("other")
    with _tx(bind) as conn:
        agencies = top_agencies(conn, filters, top)
        long = pairs(
            conn, filters, sa_t.c.canonical, other.c.canonical, agencies, agencies, ("a", "o")
        )
    return pf.matrix_frame(long, agencies, agencies, ("agency", "other"))


def agency_trend(bind: Engine | Connection, filters: Filters, top: int = 6) -> pd.DataFrame:
    """`frames.agency_trend` in SQL: the top agencies' sessions per month, summed by fiscal
    year in pandas."""
    with _tx(bind) as conn:
        agencies = top_agencies(conn, filters, top)
        months = per_month(conn, filters, sa_t.c.canonical, agencies, "agency")
    return pf.trend_frame(months, agencies)
