"""Initial store: programmes, sessions, corrections, follow-ups and the materialised tables.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONValue = sa.JSON().with_variant(JSONB(), "postgresql")


def _session_fk(primary_key: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
        index=index,
    )


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "programme_id",
            sa.Integer,
            sa.ForeignKey("programmes.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("origin", sa.String(20), nullable=False, server_default="text"),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("extractor_version", sa.String(50), nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, server_default="other"),
        sa.Column("title", sa.Text),
        sa.Column("session_date", sa.Date, index=True),
        sa.Column("end_date", sa.Date),
        sa.Column("time_range", sa.Text),
        sa.Column("venue", sa.Text),
        sa.Column("province", sa.Text),
        sa.Column("participant_count", sa.Integer),
        sa.Column("n_turns", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_recommendations", sa.Integer, nullable=False, server_default="0"),
        sa.Column("extracted", JSONValue, nullable=False),
        sa.Column("source_text", sa.Text, nullable=True),
        sa.Column("raw_text", sa.Text, nullable=False),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_fk(index=True),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("value", JSONValue, nullable=True),
        sa.Column("corrected_by", sa.String(200), nullable=False),
        sa.Column("corrected_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_fk(index=True),
        sa.Column("recommendation_text", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="proposed"),
        sa.Column("owner_agency", sa.Text),
        sa.Column("due_date", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'agreed', 'in_progress', 'done', 'dropped')", name="status"
        ),
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("canonical_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("abbreviation", sa.Text),
        sa.Column("type", sa.Text, nullable=False, server_default="unknown"),
    )
    op.create_table(
        "session_agencies",
        _session_fk(primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column(
            "agency_id",
            sa.Integer,
            sa.ForeignKey("agencies.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("as_written", sa.Text, nullable=False),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("abbreviation", sa.Text),
        sa.Column("type", sa.Text, nullable=False),
    )
    op.create_table(
        "turns",
        _session_fk(primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("speaker", sa.Text),
        sa.Column("agency", sa.Text),
        sa.Column("agency_canonical", sa.Text),
        sa.Column("speaker_role", sa.Text, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="proposed"),
        sa.Column("owner_agency", sa.Text),
        sa.Column("due_date", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("session_id", "seq"),
    )
    op.create_table(
        "recommendation_categories",
        sa.Column(
            "recommendation_id",
            sa.Integer,
            sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        _session_fk(index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
    )
    op.create_table(
        "themes",
        _session_fk(primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("theme", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "themes",
        "recommendation_categories",
        "recommendations",
        "turns",
        "session_agencies",
        "agencies",
        "followups",
        "corrections",
        "sessions",
        "programmes",
    ):
        op.drop_table(table)
