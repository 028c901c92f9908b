"""Indexes for the dashboard's questions answered in SQL (issue 13): each holds every column
its questions read, so a national programme's charts are read from indexes, not from rows that
carry long texts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_sessions_dashboard": (
        "sessions",
        [
            "kind",
            "session_date",
            "programme_id",
            "province",
            "participant_count",
            "reviewed_by",
            "n_turns",
            "n_recommendations",
        ],
    ),
    "ix_session_agencies_canonical": ("session_agencies", ["canonical", "session_id"]),
    "ix_themes_theme": ("themes", ["theme", "session_id"]),
    "ix_turns_dashboard": (
        "turns",
        ["session_id", "speaker_role", "agency_canonical", "chars", "speaker"],
    ),
    "ix_recommendations_status": ("recommendations", ["session_id", "status"]),
    "ix_recommendation_categories_category": (
        "recommendation_categories",
        ["category", "recommendation_id"],
    ),
    "ix_sessions_updated_at": ("sessions", ["updated_at"]),
    "ix_sessions_reviewed_at": ("sessions", ["reviewed_at"]),
    "ix_followups_updated_at": ("followups", ["updated_at"]),
    "ix_turns_speakers": (
        "turns",
        ["speaker_role", "agency", "speaker", "session_id", "seq"],
    ),
}


UNREVIEWED = sa.text("reviewed_by IS NULL")


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    op.create_index(
        "ix_sessions_review_queue",
        "sessions",
        ["imported_at", "id"],
        sqlite_where=UNREVIEWED,
        postgresql_where=UNREVIEWED,
    )


def downgrade() -> None:
    op.drop_index("ix_sessions_review_queue", table_name="sessions")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
