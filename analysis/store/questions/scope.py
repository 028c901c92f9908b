"""The dashboard's filters as SQL, and the small reads every page shares.

A page question (one function in a sibling module) answers from the materialised tables of
`analysis.models` with SQL that aggregates where the data lives (GROUP BY, DISTINCT, LIMIT and
OFFSET), so that only what a page shows reaches pandas. Each one returns exactly what the pandas
function of the same name in `analysis.frames` returns for ``apply_filters(load_tables(engine),
filters)``; the tests hold the two to that on SQLite and PostgreSQL.

`where(filters)` is the `Filters` value (see `analysis.filters` for its semantics) as a list of
conditions on `analysis.models.sessions` alone, so a question puts it on any query that has the
sessions table in its FROM: ``sa.select(...).where(*where(f))``, or on a child table through
``child.c.session_id.in_(session_ids(f))``. `records(f)` adds "record kinds only", as the
charts count.

Every function takes an Engine or a Connection (`analysis.store.engine._tx`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.record import KINDS
from analysis.store.engine import _tx
from analysis.tables import RECORD_KINDS

s = m.sessions


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    """First and last day of Thai fiscal year `year_be` (BE): 1 Oct of the year before to 30 Sep."""
    year_ce = year_be - 543
    return date(year_ce - 1, 10, 1), date(year_ce, 9, 30)


def where(filters: Filters) -> list:
    """The filters as conditions on `sessions` (an empty list: every session)."""
    out: list = []
    if filters.programme:
        out.append(
            s.c.programme_id.in_(
                sa.select(m.programmes.c.id).where(m.programmes.c.name == filters.programme)
            )
        )
    if filters.date_from is not None:
        out.append(s.c.session_date >= filters.date_from)
    if filters.date_to is not None:
        out.append(s.c.session_date <= filters.date_to)
    if filters.fiscal_years:
        out.append(
            sa.or_(
                *(
                    s.c.session_date.between(*fiscal_year_bounds(year))
                    for year in filters.fiscal_years
                )
            )
        )
    if filters.provinces:
        out.append(s.c.province.in_(list(filters.provinces)))
    if filters.kinds and set(filters.kinds) != set(KINDS):
        out.append(s.c.kind.in_(list(filters.kinds)))
    if filters.agencies:
        a = m.session_agencies
        out.append(
            sa.exists()
            .where(a.c.session_id == s.c.id, a.c.canonical.in_(list(filters.agencies)))
            .correlate(s)
        )
    if filters.themes:
        th = m.themes
        out.append(
            sa.exists()
            .where(th.c.session_id == s.c.id, th.c.theme.in_(list(filters.themes)))
            .correlate(s)
        )
    return out


def records(filters: Filters) -> list:
    """`where(filters)` and "a record kind" (transcript or summary): what the charts count."""
    return [*where(filters), s.c.kind.in_(list(RECORD_KINDS))]


def session_ids(filters: Filters, *, records_only: bool = False) -> sa.Select:
    """A SELECT of the ids of the sessions that pass `filters` (for ``child.session_id IN``)."""
    return sa.select(s.c.id).where(*(records(filters) if records_only else where(filters)))


def read_frame(
    bind: Engine | Connection, query, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The rows of a Core query as a DataFrame, columns named by the query's labels (or
    `columns`); object columns of no rows, as `analysis.frames` gives for nothing."""
    with _tx(bind) as conn:
        result = conn.execute(query)
        names = list(columns) if columns is not None else list(result.keys())
        rows = result.all()
    if not rows:
        return pd.DataFrame([], columns=names)
    return pd.DataFrame([tuple(r) for r in rows], columns=names)


def as_date(value) -> date | None:
    """A DATE column's value as a date, whether the driver gave a date or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def month_of(column, dialect_name: str):
    """SQL for the first day's month of a DATE column as 'YYYY-MM' text, on either backend."""
    if dialect_name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.substr(column, 1, 7)


def dialect_name(bind: Engine | Connection) -> str:
    return bind.dialect.name


# ----------------------------------------------------------------------------- shared reads


def filter_options(bind: Engine | Connection) -> dict[str, list]:
    """`analysis.filters.filter_options` of the whole store, read with DISTINCT and GROUP BY."""
    a, th, p = m.session_agencies, m.themes, m.programmes
    with _tx(bind) as conn:
        programmes = sorted(
            conn.execute(
                sa.select(p.c.name).where(p.c.id.in_(sa.select(s.c.programme_id).distinct()))
            ).scalars()
        )
        lo, hi = conn.execute(
            sa.select(sa.func.min(s.c.session_date), sa.func.max(s.c.session_date))
        ).one()
        days = [as_date(d) for d in conn.execute(sa.select(s.c.session_date).distinct()).scalars()]
        provinces = sorted(
            conn.execute(
                sa.select(s.c.province).where(s.c.province.is_not(None)).distinct()
            ).scalars()
        )
        agencies = list(
            conn.execute(
                sa.select(a.c.canonical)
                .group_by(a.c.canonical)
                .order_by(sa.func.count().desc(), a.c.canonical)
            ).scalars()
        )
        themes = list(
            conn.execute(
                sa.select(th.c.theme)
                .group_by(th.c.theme)
                .order_by(sa.func.count().desc(), th.c.theme)
            ).scalars()
        )
    years = sorted({fiscal_year(d) for d in days if d is not None})
    return {
        "programmes": programmes,
        "fiscal_years": years,
        "provinces": provinces,
        "agencies": agencies,
        "kinds": list(KINDS),
        "themes": themes,
        "date_min": as_date(lo),
        "date_max": as_date(hi),
    }


def fiscal_year(d: date) -> int:
    """The Thai fiscal year (BE) of a day (`analysis.tables.fiscal_year_be`)."""
    return d.year + 543 + (1 if d.month >= 10 else 0)


def hidden_by_kind(bind: Engine | Connection, filters: Filters) -> dict[str, int]:
    """`analysis.filters.hidden_by_kind` in SQL: kind → texts hidden only by the kind filter."""
    shown = set(filters.kinds)
    every = where(filters.replace(kinds=tuple(KINDS)))
    with _tx(bind) as conn:
        rows = conn.execute(
            sa.select(s.c.kind, sa.func.count())
            .where(*every, s.c.kind.not_in(list(shown)) if shown else sa.true())
            .group_by(s.c.kind)
            .order_by(sa.func.count().desc(), s.c.kind)
        ).all()
    return {str(kind): int(n) for kind, n in rows}


def count_sessions(
    bind: Engine | Connection, filters: Filters, *, records_only: bool = False
) -> int:
    """How many sessions pass `filters` (record kinds only when asked)."""
    with _tx(bind) as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(s)
                .where(*(records(filters) if records_only else where(filters)))
            ).scalar_one()
        )


def review_counts(bind: Engine | Connection, programme: str | None = None) -> tuple[int, int]:
    """(reviewed, all) stored texts of `programme` (or of every programme), every kind."""
    f = Filters(programme=programme, kinds=tuple(KINDS))
    with _tx(bind) as conn:
        reviewed, total = conn.execute(
            sa.select(
                sa.func.count(s.c.reviewed_by),
                sa.func.count(),
            ).where(*where(f))
        ).one()
    return int(reviewed), int(total)


def known_names(bind: Engine | Connection, extra: Iterable[str] = ()) -> set[str]:
    """`privacy.known_names` of the whole store: every speaker and reviewer, and `extra`."""
    out = {n for n in extra if isinstance(n, str) and n.strip()}
    with _tx(bind) as conn:
        out.update(
            v
            for v in conn.execute(
                sa.select(m.turns.c.speaker).where(m.turns.c.speaker.is_not(None)).distinct()
            ).scalars()
            if isinstance(v, str)
        )
        out.update(
            v
            for v in conn.execute(
                sa.select(s.c.reviewed_by).where(s.c.reviewed_by.is_not(None)).distinct()
            ).scalars()
            if isinstance(v, str)
        )
    return out


def speaker_numbers(
    bind: Engine | Connection, people: Iterable[tuple[str, str | None, str]]
) -> dict[tuple[str, str | None, str], tuple[int, int]]:
    """For each (speaker, agency, role) shown to a viewer: (its number, how many speakers) among
    the speakers of that role and agency in the whole store, numbered in order of first
    appearance (session, then turn), as `analysis.privacy._role_and_agency` numbers them."""
    t = m.turns
    out: dict[tuple[str, str | None, str], tuple[int, int]] = {}
    groups: dict[tuple[str | None, str], set[str]] = {}
    for speaker, agency, role in people:
        if speaker is not None:
            groups.setdefault((agency, role), set()).add(speaker)
    with _tx(bind) as conn:
        for (agency, role), speakers in groups.items():
            same_agency = t.c.agency.is_(None) if agency is None else t.c.agency == agency
            first = (
                sa.select(t.c.speaker, sa.func.min(t.c.session_id).label("sid"))
                .where(same_agency, t.c.speaker_role == role, t.c.speaker.is_not(None))
                .group_by(t.c.speaker)
                .subquery()
            )
            firsts = conn.execute(
                sa.select(first.c.speaker, first.c.sid, sa.func.min(t.c.seq))
                .join(t, sa.and_(t.c.session_id == first.c.sid, t.c.speaker == first.c.speaker))
                .where(same_agency, t.c.speaker_role == role)
                .group_by(first.c.speaker, first.c.sid)
            ).all()
            order = sorted(firsts, key=lambda r: (r[1], r[2]))
            rank = {row[0]: i + 1 for i, row in enumerate(order)}
            for speaker in speakers:
                out[(speaker, agency, role)] = (rank.get(speaker, 0), len(order))
    return out
