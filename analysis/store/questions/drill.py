"""The drill-down in SQL: the sessions and quotes behind a clicked bar, cell or point.

The sessions behind the click are picked in SQL (every value of the selection is a condition on
the session or its own rows), newest first and at most `limit` of them; only those sessions'
rows are then read (`store.load_tables(session_ids=...)`) and quoted by `frames.drilldown`
itself, which quotes a session from its own rows alone, so the answer is the pandas one.
`drilldown_sessions` counts every session behind the click (COUNT in SQL), for "and N more".
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import drill as fd
from analysis.store.engine import _tx
from analysis.store.loading import load_tables
from analysis.store.questions import scope

__all__ = ["drilldown", "drilldown_sessions"]

s, r, rc = m.sessions, m.recommendations, m.recommendation_categories
# Months of each quarter of the Thai fiscal year (`frames.fiscal_quarter`).
QUARTER_MONTHS = {1: (10, 11, 12), 2: (1, 2, 3), 3: (4, 5, 6), 4: (7, 8, 9)}


def _month_number(column, dialect_name: str):
    if dialect_name == "postgresql":
        return sa.cast(sa.extract("month", column), sa.Integer)
    return sa.cast(sa.func.substr(column, 6, 2), sa.Integer)


def _conditions(
    dialect_name: str,
    theme=None,
    agency=None,
    province=None,
    fiscal_year=None,
    month=None,
    with_theme=None,
    other_agency=None,
    quarter=None,
    category=None,
) -> list:
    """The selection as conditions on `sessions` (as `frames.drilldown` keeps sessions)."""
    out: list = []
    # "its id is among the sessions of that value": an index on the value (themes.theme,
    # session_agencies.canonical, recommendation_categories.category) then finds them at once
    th, a = m.themes, m.session_agencies
    for theme_label in (theme, with_theme):
        if theme_label:
            out.append(s.c.id.in_(sa.select(th.c.session_id).where(th.c.theme == theme_label)))
    for name in (agency, other_agency):
        if name:
            out.append(s.c.id.in_(sa.select(a.c.session_id).where(a.c.canonical == name)))
    if province:
        out.append(s.c.province == province)
    if fiscal_year is not None:
        out.append(s.c.session_date.between(*scope.fiscal_year_bounds(int(fiscal_year))))
    if month is not None:
        first = pd.Timestamp(month).to_period("M").start_time.date()
        last = pd.Timestamp(month).to_period("M").end_time.date()
        out.append(s.c.session_date.between(first, last))
    if quarter is not None:
        months = QUARTER_MONTHS.get(int(quarter), ())
        out.append(s.c.session_date.is_not(None))
        out.append(_month_number(s.c.session_date, dialect_name).in_(list(months)))
    if category == "":
        uncategorised = ~sa.exists().where(rc.c.recommendation_id == r.c.id)
        out.append(sa.exists().where(r.c.session_id == s.c.id, uncategorised))
    elif category is not None:
        out.append(s.c.id.in_(sa.select(rc.c.session_id).where(rc.c.category == category)))
    return out


def _selected(bind, filters: Filters, selection: tuple) -> list:
    return [*scope.records(filters), *_conditions(scope.dialect_name(bind), *selection)]


def drilldown(
    bind: Engine | Connection,
    filters: Filters,
    *selection,
    per_session: int = 3,
    limit: int | None = None,
) -> pd.DataFrame:
    """`frames.drilldown(tables, *selection, per_session, limit)` for the filtered tables:
    `selection` is its theme, agency, province, fiscal_year, month, with_theme, other_agency,
    quarter, category (positional, as the page passes them) and may end with per_session and
    limit. Reads the rows of at most `limit` sessions (every session behind the click when None).
    """
    values = list(selection[:9]) + [None] * (9 - len(selection[:9]))
    if len(selection) > 9:
        per_session = selection[9]
    if len(selection) > 10:
        limit = selection[10]
    ids = (
        sa.select(s.c.id)
        .where(*_selected(bind, filters, values))
        .order_by(s.c.session_date.desc().nulls_last(), s.c.id.desc())
    )
    if limit is not None:
        with _tx(bind) as conn:
            ids = list(conn.execute(ids.limit(limit)).scalars())
    tables = load_tables(bind, session_ids=ids)
    return fd.drilldown(tables, *values, per_session, limit)


def drilldown_sessions(bind: Engine | Connection, filters: Filters, *selection) -> int:
    """`frames.drilldown_sessions`: how many sessions are behind the click (COUNT in SQL)."""
    values = list(selection[:9]) + [None] * (9 - len(selection[:9]))
    with _tx(bind) as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).select_from(s).where(*_selected(bind, filters, values))
            ).scalar_one()
        )
