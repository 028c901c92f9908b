"""The present page's own question in SQL: the projector's quotes, picked in the database.

`presentation_quotes` returns what `frames.presentation_quotes` returns for the filtered tables:
the spoken recommendations (said in a turn with a speaker) are found, counted per first category
and per exact text, ranked with window functions, and only the `n` picked rows come back.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analysis import models as m
from analysis.filters import Filters
from analysis.frames import present as fp
from analysis.store.engine import _tx
from analysis.store.questions.recommendations import dates, first_turn, newest, newest_first

__all__ = ["presentation_quotes"]

# The quotes are picked among the newest this many recommendations (after the filters): finding
# the turn that says each one is a substring search through its session's turns, about 0.5 s per
# 5,000 recommendations; the whole of a 100,000-session programme would take half a minute.
MAX_QUOTE_RECOMMENDATIONS = 5_000

r, s, t, rc = m.recommendations, m.sessions, m.turns, m.recommendation_categories


def presentation_quotes(bind: Engine | Connection, filters: Filters, n: int = 5) -> pd.DataFrame:
    """`frames.presentation_quotes` in SQL: one spoken recommendation from each of the `n`
    categories with the most of them.

    Exactly the pandas answer while the filters leave at most MAX_QUOTE_RECOMMENDATIONS (5,000)
    recommendations (about 1,000 sessions); above that, the pandas answer over the newest 5,000
    of them (by session date, then session, as the recommendation table lists them): the
    projector shows recent voices, and narrowing the filters (a fiscal year) reaches older ones.
    """
    if n <= 0:
        return fp.quotes_shape([])
    first_category = (
        sa.select(rc.c.category)
        .where(rc.c.recommendation_id == r.c.id)
        .order_by(rc.c.position)
        .limit(1)
        .scalar_subquery()
    )
    base = (
        sa.select(
            r.c.session_id,
            r.c.seq,
            r.c.text,
            s.c.title,
            s.c.session_date,
            sa.func.coalesce(first_category, "").label("category"),
            sa.func.row_number().over(order_by=newest_first()).label("pos"),
            first_turn(bind).label("turn"),
        )
        .join(s, s.c.id == r.c.session_id)
        .where(r.c.id.in_(newest(filters, MAX_QUOTE_RECOMMENDATIONS)), r.c.text != "")
        .cte("base")
    )
    spoken = (
        sa.select(base, t.c.speaker, t.c.agency, t.c.speaker_role)
        .join(t, sa.and_(t.c.session_id == base.c.session_id, t.c.seq == base.c.turn))
        .where(t.c.speaker.is_not(None))
        .cte("spoken")
    )
    counted = sa.select(spoken, sa.func.count().over(partition_by=spoken.c.text).label("freq")).cte(
        "counted"
    )
    ranked = sa.select(
        counted,
        sa.func.row_number()
        .over(
            partition_by=counted.c.category,
            order_by=(
                counted.c.freq.desc(),
                counted.c.session_date.desc().nulls_last(),
                counted.c.pos,
            ),
        )
        .label("rank"),
    ).cte("ranked")
    sizes = (
        sa.select(
            spoken.c.category,
            sa.func.count().label("k"),
            sa.func.min(spoken.c.pos).label("first"),
        )
        .group_by(spoken.c.category)
        .order_by(sa.func.count().desc(), sa.func.min(spoken.c.pos))
        .limit(n)
        .subquery("sizes")
    )
    query = (
        sa.select(*(ranked.c[c] for c in fp.QUOTE_COLUMNS))
        .join(sizes, sizes.c.category == ranked.c.category)
        .where(ranked.c.rank == 1)
        .order_by(sizes.c.k.desc(), sizes.c.first)
    )
    with _tx(bind) as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    when = dates([row["session_date"] for row in rows])
    return fp.quotes_shape([{**row, "session_date": d} for row, d in zip(rows, when, strict=True)])
