"""The overview page's questions in SQL: the headline numbers and sessions per month, fiscal
quarter, fiscal year and province, counted with GROUP BY where the data lives.

Every time chart comes from one aggregate, record sessions per calendar month (a few hundred
rows at most), shaped by the same code as the pandas versions (`analysis.frames.overview`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import overview as shape
from analysis.store.engine import _tx
from analysis.store.questions.scope import month_of, records, where
from analysis.tables import ACTED_ON, RECORD_KINDS

__all__ = [
    "overview_metrics",
    "sessions_per_month",
    "sessions_per_fiscal_year",
    "sessions_per_province",
    "sessions_over_time",
    "time_grain",
    "_sessions_per_quarter",
]

s = m.sessions


@contextmanager
def reading(bind: Engine | Connection) -> Iterator[Connection]:
    """`_tx` for these questions: on PostgreSQL with JIT compilation off in the transaction (on
    a search over 10,000 sessions PostgreSQL spent 2.0 s of 2.3 s compiling, 0.2 s without it;
    an overview count 0.5 s instead of 0.3 s). Setting ``jit=off`` on the engine's connections
    would serve every question; this keeps it to these."""
    with _tx(bind) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL jit = off"))
        yield conn


def reviewed(column=s.c.reviewed_by):
    """1 when a person reviewed the session (a reviewer's name that is not empty), else 0."""
    return sa.case((sa.func.coalesce(column, "") != "", 1), else_=0)


def overview_metrics(bind: Engine | Connection, filters: Filters) -> dict[str, float]:
    """`frames.overview_metrics`: one pass over the filtered sessions (turns and
    recommendations are the sessions' own counts of their rows; texts of kind other counted
    beside); the recommendations acted on through a join on the sessions' primary key (faster
    than ``IN (SELECT ...)`` here: SQLite walks the child table in session order); the distinct
    agencies as the rows of `agencies` (one per canonical name) that some passing record
    session names, each found by its first such session."""
    # aliases: the agency filter's EXISTS names session_agencies itself
    r, a = m.recommendations.alias("counted_r"), m.session_agencies.alias("counted_a")
    record = s.c.kind.in_(RECORD_KINDS)

    def of_records(column):
        return sa.case((record, column))

    with reading(bind) as conn:
        n, others, participants, known, turns, recommendations, n_reviewed = conn.execute(
            sa.select(
                sa.func.count(of_records(1)),
                sa.func.count(sa.case((~record, 1))),
                sa.func.coalesce(sa.func.sum(of_records(s.c.participant_count)), 0),
                sa.func.count(of_records(s.c.participant_count)),
                sa.func.coalesce(sa.func.sum(of_records(s.c.n_turns)), 0),
                sa.func.coalesce(sa.func.sum(of_records(s.c.n_recommendations)), 0),
                sa.func.coalesce(sa.func.sum(of_records(reviewed())), 0),
            ).where(*where(filters))
        ).one()
        agencies = conn.execute(
            sa.select(sa.func.count())
            .select_from(m.agencies)
            .where(
                sa.exists()
                .select_from(a.join(s, s.c.id == a.c.session_id))
                .where(a.c.agency_id == m.agencies.c.id, *records(filters))
            )
        ).scalar_one()
        acted_on = conn.execute(
            sa.select(sa.func.count())
            .select_from(r.join(s, s.c.id == r.c.session_id))
            .where(*records(filters), r.c.status.in_(ACTED_ON))
        ).scalar_one()
    return shape.headline(
        sessions=n,
        participants=participants,
        participants_known=known,
        agencies=agencies,
        recommendations=recommendations,
        acted_on=acted_on,
        turns=turns,
        reviewed=n_reviewed,
        others=others,
    )


def month_counts(bind: Engine | Connection, filters: Filters) -> pd.Series:
    """Record sessions per calendar month that has any (`frames.overview.month_counts`)."""
    month = month_of(s.c.session_date, bind.dialect.name).label("month")
    with reading(bind) as conn:
        rows = conn.execute(
            sa.select(month, sa.func.count())
            .where(*records(filters), s.c.session_date.is_not(None))
            .group_by(month)
        ).all()
    index = pd.PeriodIndex([str(ym) for ym, _ in rows], freq="M")
    return pd.Series([int(n) for _, n in rows], index=index, dtype=int)


def sessions_per_month(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    return shape.month_frame(month_counts(bind, filters))


def sessions_per_fiscal_year(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    return shape.fiscal_year_frame(month_counts(bind, filters))


def _sessions_per_quarter(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    return shape.quarter_frame(month_counts(bind, filters))


def time_grain(bind: Engine | Connection, filters: Filters) -> str:
    return shape.grain_of(month_counts(bind, filters))


def sessions_over_time(
    bind: Engine | Connection, filters: Filters, grain: str = "auto"
) -> pd.DataFrame:
    return shape.over_time_frame(month_counts(bind, filters), grain)


def sessions_per_province(bind: Engine | Connection, filters: Filters) -> pd.DataFrame:
    """Record sessions per province, most first, ties in order of first appearance (lowest
    session id, as pandas' value_counts keeps them); unknown province last."""
    n = sa.func.count().label("n")
    with reading(bind) as conn:
        rows = conn.execute(
            sa.select(s.c.province, n)
            .where(*records(filters))
            .group_by(s.c.province)
            .order_by(n.desc(), sa.func.min(s.c.id))
        ).all()
    known = [(p, int(k)) for p, k in rows if p is not None]
    unknown = sum(int(k) for p, k in rows if p is None)
    counts = pd.Series([k for _, k in known], index=[p for p, _ in known], dtype=int)
    return shape.province_frame(counts, unknown)
