"""หน่วยงาน Agencies page questions in SQL: each returns what its namesake in
`analysis.frames.agencies` returns for the filtered tables.

The database does the counting and returns one row per agency, role, month or mask, which the
pandas versions' own shaping functions (`analysis.frames.agencies`) turn into the answer:
- counts per agency or theme: GROUP BY with COUNT(DISTINCT session_id) over the record sessions
  that pass the filters (`distinct_sessions`, which skips the sessions join in the default view);
- turns: GROUP BY speaker role or turn agency with COUNT, SUM(chars), COUNT(DISTINCT speaker);
- pairs (agency × theme, co-attendance) and time bins: per session, a bitmask of the top values
  it holds (`masks`), joined once per session to the sessions that pass, then grouped by mask,
  month or province, so no join of every agency row with every theme row is ever built.
The top agencies and themes are ranked in Python from their counts (a few dozen rows), most
sessions first and ties in code-point order, so that a PostgreSQL collation cannot order them
differently from the pandas version.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from analysis import models as m
from analysis.filters import DEFAULT_KINDS, Filters
from analysis.frames import agencies as pf
from analysis.record import KINDS
from analysis.store.engine import _tx
from analysis.store.questions import scope
from analysis.tables import RECORD_KINDS

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
    """``FROM table`` restricted to the record sessions that pass `filters` (select the columns
    with `.with_only_columns` or `.add_columns`). Written as ``session_id IN (SELECT id FROM
    sessions WHERE …)``, not as a join: SQLite then reads the ids once from the sessions'
    covering index and the child rows from theirs (share of voice at 100,000 sessions: 0.4 s),
    where the join looked each turn's session up in the wide sessions rows (2.2 s)."""
    return (
        sa.select()
        .select_from(table)
        .where(table.c.session_id.in_(scope.session_ids(filters, records_only=True)))
    )


def distinct_sessions(conn: Connection, column, filters: Filters) -> dict[str, int]:
    """Value of `column` (of session_agencies or themes) → distinct record sessions holding it.

    When the filters choose kinds only (the default view), this is every session's count less
    the count in the sessions of the other kinds: the first needs no sessions row per child row
    (and reads an index on (column, session_id) alone, when there is one), the second reads the
    few texts of kind other. Otherwise the child rows are joined to the sessions that pass.
    """
    table = column.table
    count = sa.func.count(sa.distinct(table.c.session_id))
    if not filters.replace(kinds=DEFAULT_KINDS).is_default():
        query = of_records(table, filters).add_columns(column, count)
        return {str(v): int(n) for v, n in conn.execute(query.group_by(column)).all()}
    shown = [k for k in RECORD_KINDS if k in filters.kinds]
    if not shown:
        return {}
    every = conn.execute(sa.select(column, count).group_by(column)).all()
    hidden = [k for k in KINDS if k not in shown]  # the store holds these kinds only
    out = dict(
        conn.execute(
            sa.select(column, count)
            .where(table.c.session_id.in_(sa.select(s.c.id).where(s.c.kind.in_(hidden))))
            .group_by(column)
        ).all()
    )
    counts = {str(v): int(n) - int(out.get(v, 0)) for v, n in every}
    return {v: n for v, n in counts.items() if n > 0}


def top_agencies(conn: Connection, filters: Filters, top: int) -> list[str]:
    return pf.most_first(distinct_sessions(conn, sa_t.c.canonical, filters), top)


def top_themes(conn: Connection, filters: Filters, top: int) -> list[str]:
    return pf.most_first(distinct_sessions(conn, th.c.theme, filters), top)


MAX_MASK_VALUES = 62  # bits of a signed 64-bit integer that a mask may use


def int64(bits: int):
    """A mask's bits as a 64-bit integer in SQL (PostgreSQL would take a bare Python int for a
    32-bit one, too small past bit 31)."""
    return sa.literal(bits, sa.BigInteger)


class bits_or(GenericFunction):
    """The bitwise OR of a group's integers: PostgreSQL's ``bit_or``, hashed per group; SQLite
    has none, and ``SUM(DISTINCT …)`` gives the same for single bits. (On PostgreSQL a DISTINCT
    aggregate sorts every group's rows first: 0.6 s against 0.45 s for a matrix of 100,000
    sessions.)"""

    type = sa.BigInteger()
    inherit_cache = True


@compiles(bits_or)
def _sum_distinct(element, compiler, **kw):
    return f"sum(DISTINCT {compiler.process(element.clauses, **kw)})"


@compiles(bits_or, "postgresql")
def _bit_or(element, compiler, **kw):
    return f"bit_or({compiler.process(element.clauses, **kw)})"


def masks(column, values: Sequence[str]) -> sa.Subquery:
    """Per session holding one of `values` in `column` (of session_agencies or themes): its id
    and a bitmask of the values it holds (bit i: ``values[i]``), [session_id, mask].

    Pairs and time bins are counted from these, one row per session, instead of from a join of
    the child rows (an agency × theme join is every session's agencies times its themes, and
    each row would be checked against the filters): the database groups the child rows by
    session, the filters are checked once per session, and the few distinct masks are counted.
    """
    if len(values) > MAX_MASK_VALUES:
        raise ValueError(f"at most {MAX_MASK_VALUES} values fit a mask, not {len(values)}")
    bit = sa.case({v: int64(1 << i) for i, v in enumerate(values)}, value=column)
    table = column.table
    return (
        sa.select(table.c.session_id.label("session_id"), bits_or(bit).label("mask"))
        .where(column.in_(list(values)))
        .group_by(table.c.session_id)
        .subquery()
    )


def has(mask_column, i: int):
    """1 when bit `i` of the mask is set, else 0 (to SUM)."""
    return sa.case((mask_column.op("&")(int64(1 << i)) != 0, 1), else_=0)


def bits(mask: int) -> list[int]:
    """The set bits of a mask: ``bits(0b101)`` → ``[0, 2]``."""
    return [i for i in range(int(mask).bit_length()) if mask >> i & 1]


def of_masked(filters: Filters, mask: sa.Subquery, *more: sa.Subquery) -> sa.Select:
    """``FROM mask JOIN sessions`` (and further masks of the same sessions) for the record
    sessions that pass `filters`; select the columns with `.add_columns`."""
    joined = mask.join(s, s.c.id == mask.c.session_id)
    for other in more:
        joined = joined.join(other, other.c.session_id == mask.c.session_id)
    return sa.select().select_from(joined).where(*scope.records(filters))


def together(
    conn: Connection, filters: Filters, column, values: Sequence[str], names: tuple[str, str]
) -> pd.DataFrame:
    """Record sessions holding each pair of `values` together (a value with itself: the
    sessions holding it): [names[0], names[1], sessions], pairs of no session left out."""
    if not values:
        return pd.DataFrame([], columns=[*names, "sessions"])
    mask = masks(column, values)
    rows = conn.execute(
        of_masked(filters, mask).add_columns(mask.c.mask, sa.func.count()).group_by(mask.c.mask)
    ).all()
    counts: dict[tuple[int, int], int] = {}
    for value, n in rows:
        held = bits(value)
        for i in held:
            for j in held:
                counts[(i, j)] = counts.get((i, j), 0) + int(n)
    return pd.DataFrame(
        [(values[i], values[j], n) for (i, j), n in counts.items()], columns=[*names, "sessions"]
    )


def crossed(
    conn: Connection,
    filters: Filters,
    rows: tuple,
    columns: tuple,
    names: tuple[str, str],
    any_of: int = 0,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Record sessions per (row value, column value), `rows` and `columns` being (column of a
    session child, its values): [names[0], names[1], sessions], pairs of no session left out.
    Also, per column value, the sessions holding it and one of the first `any_of` row values."""
    (row_col, row_values), (col_col, col_values) = rows, columns
    if not row_values or not col_values:
        return pd.DataFrame([], columns=[*names, "sessions"]), {}
    row_mask, col_mask = masks(row_col, row_values), masks(col_col, col_values)
    shown = sum(1 << i for i in range(min(any_of, len(row_values))))
    any_shown = sa.case((row_mask.c.mask.op("&")(int64(shown)) != 0, 1), else_=0)
    query = (
        of_masked(filters, col_mask, row_mask)
        .add_columns(
            col_mask.c.mask,
            sa.func.sum(any_shown),
            *(sa.func.sum(has(row_mask.c.mask, i)) for i in range(len(row_values))),
        )
        .group_by(col_mask.c.mask)
    )
    counts: dict[tuple[int, int], int] = {}
    distinct: dict[str, int] = {}
    for value, n_any, *per_row in conn.execute(query).all():
        for j in bits(value):
            distinct[col_values[j]] = distinct.get(col_values[j], 0) + int(n_any)
            for i, n in enumerate(per_row):
                if n:
                    counts[(i, j)] = counts.get((i, j), 0) + int(n)
    long = pd.DataFrame(
        [(row_values[i], col_values[j], n) for (i, j), n in counts.items()],
        columns=[*names, "sessions"],
    )
    return long, distinct


def per_value(
    conn: Connection,
    filters: Filters,
    column,
    values: Sequence[str],
    by,
    names: tuple[str, str],
    *where,
) -> pd.DataFrame:
    """Record sessions holding each of `values` per value of `by` (an expression on sessions;
    sessions where it is NULL, or failing `where`, left out): [names[0] (by), names[1] (value),
    sessions], pairs of no session left out."""
    if not values:
        return pd.DataFrame([], columns=[*names, "sessions"])
    mask = masks(column, values)
    query = (
        of_masked(filters, mask)
        .add_columns(by, *(sa.func.sum(has(mask.c.mask, i)) for i in range(len(values))))
        .where(by.is_not(None), *where)
        .group_by(by)
    )
    out = [
        (key, values[i], int(n))
        for key, *per_value_counts in conn.execute(query).all()
        for i, n in enumerate(per_value_counts)
        if n
    ]
    return pd.DataFrame(out, columns=[*names, "sessions"])


def per_month(
    conn: Connection, filters: Filters, column, values: Sequence[str], name: str
) -> pd.DataFrame:
    """[month, name, sessions]: dated record sessions holding each of `values` per month."""
    month = scope.month_of(s.c.session_date, conn.dialect.name)
    return per_value(conn, filters, column, values, month, ("month", name))


def voice(filters: Filters, by, dialect: str) -> sa.Select:
    """Per value of the turns' column `by`: turns, characters, distinct speakers.

    On PostgreSQL counted in two steps, per (value, speaker) and then per value, rather than
    with ``COUNT(DISTINCT speaker)``: a store holds few speakers per value, so the first step
    hashes the turns into a few hundred groups, where a DISTINCT aggregate sorts every turn of a
    group (100,000 sessions: 0.4 s against 0.8 s). SQLite reads the turns in the order of their
    covering index either way, and the DISTINCT aggregate is the faster there (0.6 s against
    1.1 s)."""
    if dialect != "postgresql":
        return (
            of_records(t, filters)
            .add_columns(
                by,
                sa.func.count(),
                sa.func.sum(t.c.chars),
                sa.func.count(sa.distinct(t.c.speaker)),
            )
            .group_by(by)
        )
    per_speaker = (
        of_records(t, filters)
        .add_columns(
            by.label("value"),
            t.c.speaker.label("speaker"),
            sa.func.count().label("turns"),
            sa.func.sum(t.c.chars).label("chars"),
        )
        .group_by(by, t.c.speaker)
        .subquery()
    )
    c = per_speaker.c
    return sa.select(
        c.value, sa.func.sum(c.turns), sa.func.sum(c.chars), sa.func.count(c.speaker)
    ).group_by(c.value)


# ----------------------------------------------------------------------------- questions


def first_types(conn: Connection, filters: Filters) -> dict[str, str]:
    """Agency (canonical) → the type of its first row among the record sessions that pass
    (lowest session, then order in the session), as pandas' "first" gives it.

    Asked per agency of the store's list (`agencies`, one row per canonical name): walking
    session_agencies' (canonical, session_id) index from the lowest session, the first row of
    a passing session is found at once, where a GROUP BY with MIN(session_id) checked every
    row against the filters (100,000 sessions: 0.05 s against 0.5 s on SQLite)."""
    ag, row = m.agencies, m.session_agencies.alias("first_row")
    first = (
        sa.select(row.c.type)
        .where(
            row.c.canonical == ag.c.canonical,
            row.c.session_id.in_(scope.session_ids(filters, records_only=True)),
        )
        .order_by(row.c.session_id, row.c.seq)
        .limit(1)
        .scalar_subquery()
    )
    return {c: kind for c, kind in conn.execute(sa.select(ag.c.canonical, first)).all() if kind}


def _attended_by_scan(conn: Connection, filters: Filters) -> list[tuple[str, int, str]]:
    """[agency, sessions, type of its first row] from one GROUP BY over every row of the
    passing sessions: what `participation_by_agency` falls back to when an agency's name is
    missing from the store's list of agencies (a store edited by hand)."""
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
    rows = conn.execute(
        sa.select(first.c.agency, first.c.sessions, sa_t.c.type)
        .join(
            sa_t,
            sa.and_(sa_t.c.session_id == first.c.first_id, sa_t.c.canonical == first.c.agency),
        )
        .order_by(sa_t.c.session_id, sa_t.c.seq)
    ).all()
    attended: dict[str, tuple] = {}
    for agency, sessions, kind in rows:  # the type of its first row, as pandas' "first"
        attended.setdefault(agency, (agency, int(sessions), kind))
    return list(attended.values())


def participation_by_agency(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.participation_by_agency` in SQL: attendance per agency (`distinct_sessions`, the
    type from `first_types`), and turns, characters and people per turn agency (the NULL group
    gives the characters of turns without one)."""
    with _tx(bind) as conn:
        sessions = distinct_sessions(conn, sa_t.c.canonical, filters)
        types = first_types(conn, filters) if sessions else {}
        if set(sessions) <= set(types):
            attended = [(a, n, types[a]) for a, n in sessions.items()]
        else:
            attended = _attended_by_scan(conn, filters)
        spoken = conn.execute(voice(filters, t.c.agency_canonical, conn.dialect.name)).all()
    total = sum(int(chars or 0) for _, _, chars, _ in spoken)
    return pf.participation_frame(
        pd.DataFrame(attended, columns=pf.ATTENDED_COLUMNS),
        pd.DataFrame(
            [(a, int(n), int(c), int(p)) for a, n, c, p in spoken if a is not None],
            columns=pf.SPOKEN_COLUMNS,
        ),
        total,
    )


def share_of_voice_by_role(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """`frames.share_of_voice_by_role` in SQL: one GROUP BY speaker_role over the turns."""
    by_role = scope.read_frame(
        bind, voice(filters, t.c.speaker_role, bind.dialect.name), pf.ROLE_COLUMNS
    )
    return pf.role_frame(by_role, int(by_role["chars"].sum()) if len(by_role) else 0)


def agency_theme_matrix(bind: Engine | Connection, filters: Filters, top: int = 15) -> pd.DataFrame:
    """`frames.agency_theme_matrix` in SQL: the top agencies and themes, then sessions per pair."""
    with _tx(bind) as conn:
        agencies, themes = top_agencies(conn, filters, top), top_themes(conn, filters, top)
        long, _ = crossed(
            conn, filters, (sa_t.c.canonical, agencies), (th.c.theme, themes), ("a", "t")
        )
    return pf.matrix_frame(long, agencies, themes, ("agency", "theme"))


def agency_coattendance(bind: Engine | Connection, filters: Filters, top: int = 15) -> pd.DataFrame:
    """`frames.agency_coattendance` in SQL: the top agencies held by each session, counted."""
    with _tx(bind) as conn:
        agencies = top_agencies(conn, filters, top)
        long = together(conn, filters, sa_t.c.canonical, agencies, ("a", "o"))
    return pf.matrix_frame(long, agencies, agencies, ("agency", "other"))


def agency_trend(bind: Engine | Connection, filters: Filters, top: int = 6) -> pd.DataFrame:
    """`frames.agency_trend` in SQL: the top agencies' sessions per month, summed by fiscal
    year in pandas."""
    with _tx(bind) as conn:
        agencies = top_agencies(conn, filters, top)
        months = per_month(conn, filters, sa_t.c.canonical, agencies, "agency")
    return pf.trend_frame(months, agencies)
