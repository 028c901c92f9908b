"""Small non-Streamlit helpers the dashboard's UI layer needs (pages/_common.py caches them).

`store_version(engine)` is a cheap fingerprint of everything the dashboard shows: it changes
whenever a session is imported, corrected, re-extracted, reviewed or deleted, or a follow-up is
edited, by this process or any other (the CLI, another dashboard). The pages key their cached
tables on it, so an edit shows up on the next rerun without clearing caches by hand.
"""

from __future__ import annotations

import sqlalchemy as sa

from analysis import models as m


def store_version(engine) -> str:
    """A string that changes whenever the store's content changes (one small query)."""
    s, c, f = m.sessions, m.corrections, m.followups
    query = sa.select(
        sa.select(sa.func.count(s.c.id)).scalar_subquery(),
        sa.select(sa.func.max(s.c.id)).scalar_subquery(),
        sa.select(sa.func.max(s.c.updated_at)).scalar_subquery(),
        sa.select(sa.func.count(s.c.reviewed_by)).scalar_subquery(),
        sa.select(sa.func.max(s.c.reviewed_at)).scalar_subquery(),
        sa.select(sa.func.max(c.c.id)).scalar_subquery(),
        sa.select(sa.func.count(f.c.id)).scalar_subquery(),
        sa.select(sa.func.max(f.c.updated_at)).scalar_subquery(),
    )
    with engine.connect() as conn:
        row = conn.execute(query).one()
    return "|".join("" if v is None else str(v) for v in row)
