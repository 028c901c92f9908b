"""PostgreSQL only. The sessions' dashboard index also holds the session id: the filters' "the
sessions that pass" (`session_id IN (SELECT id FROM sessions WHERE …)`, in every question) are
then read from the index alone, not from the session rows, which carry long texts (at 100,000
sessions: a 12 MB index against a 151 MB table, each time a question asks). SQLite keeps every
row's id in each of its indexes already, so there nothing changes. And an index in the
recommendation table's order, newest session first with undated sessions last, which SQLite's
session_date index already gives walked backwards (it sorts NULL first) and PostgreSQL's does
not (0.26 s to sort every recommendation for a page of 50, 0.3 ms with it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NAME = "ix_sessions_dashboard"
# the recommendation table's order (newest session first, sessions without a date last): a
# page of it is read from the newest sessions down, not sorted from every recommendation
NEWEST = "ix_sessions_newest"
COLUMNS = [
    "kind",
    "session_date",
    "programme_id",
    "province",
    "participant_count",
    "reviewed_by",
    "n_turns",
    "n_recommendations",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NAME, table_name="sessions")
    op.create_index(NAME, "sessions", COLUMNS, postgresql_include=["id"])
    op.create_index(
        NEWEST, "sessions", [sa.text("session_date DESC NULLS LAST"), sa.text("id DESC")]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(NEWEST, table_name="sessions")
    op.drop_index(NAME, table_name="sessions")
    op.create_index(NAME, "sessions", COLUMNS)
