"""The store's schema as SQLAlchemy Core tables (the Alembic migrations create exactly these).

Three kinds of data live side by side and never overwrite one another:

* what was imported: ``sessions.raw_text`` (the decoded text exactly as imported) and its
  ``content_sha256`` (unique: the same text is stored once in the whole store);
* what the extractor produced: ``sessions.extracted`` (the record as JSON) and
  ``sessions.extractor_version``;
* what people said: ``corrections`` (one row per correction, with who and when; the latest per
  field wins), ``followups`` (keyed by the recommendation's text, so they survive re-extraction)
  and the review columns of ``sessions``.

The remaining tables, and the record columns of ``sessions`` (kind, title, session_date, …), are
*materialised* from the effective record (extraction with corrections applied) each time the
extraction or a correction changes, so that SQL users see corrected data. They can always be
rebuilt from the three kinds above.

Times are naive UTC datetimes, dates are ISO calendar dates (Gregorian).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

# JSON on SQLite (text), JSONB on PostgreSQL (queryable).
JSONValue = sa.JSON().with_variant(JSONB(), "postgresql")

FOLLOWUP_STATUS_SQL = "status IN ('proposed', 'agreed', 'in_progress', 'done', 'dropped')"

programmes = sa.Table(
    "programmes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
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
    # "text": extracted from raw_text; "structured": fields given by a table, nothing to extract
    sa.Column("origin", sa.String(20), nullable=False, server_default="text"),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("extractor_version", sa.String(50), nullable=False),
    sa.Column("reviewed_by", sa.String(200), nullable=True),
    sa.Column("reviewed_at", sa.DateTime, nullable=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # materialised from the effective record
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
    # large values last: SQLite then reads the columns above without touching overflow pages
    sa.Column("extracted", JSONValue, nullable=False),
    # the source before decoding (e.g. HTML markup) when the importer passed it and it differs
    sa.Column("source_text", sa.Text, nullable=True),
    sa.Column("raw_text", sa.Text, nullable=False),
)

corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("field", sa.String(50), nullable=False),
    sa.Column("value", JSONValue, nullable=True),
    sa.Column("corrected_by", sa.String(200), nullable=False),
    sa.Column("corrected_at", sa.DateTime, nullable=False),
)

followups = sa.Table(
    "followups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("recommendation_text", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="proposed"),
    sa.Column("owner_agency", sa.Text),
    sa.Column("due_date", sa.Date),
    sa.Column("note", sa.Text),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.CheckConstraint(FOLLOWUP_STATUS_SQL, name="status"),
)

agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("canonical", sa.Text, nullable=False),
    # unique key on a hash: a btree index on long Thai text can exceed PostgreSQL's entry size
    sa.Column("canonical_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("abbreviation", sa.Text),
    sa.Column("type", sa.Text, nullable=False, server_default="unknown"),
)

session_agencies = sa.Table(
    "session_agencies",
    metadata,
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
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

turns = sa.Table(
    "turns",
    metadata,
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("speaker", sa.Text),
    sa.Column("agency", sa.Text),
    sa.Column("agency_canonical", sa.Text),
    sa.Column("speaker_role", sa.Text, nullable=False),
    sa.Column("chars", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("text", sa.Text, nullable=False),
)

recommendations = sa.Table(
    "recommendations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("seq", sa.Integer, nullable=False),
    # copied from `followups` (matched on the text) so SQL users see the status in place
    sa.Column("status", sa.String(20), nullable=False, server_default="proposed"),
    sa.Column("owner_agency", sa.Text),
    sa.Column("due_date", sa.Date),
    sa.Column("note", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.UniqueConstraint("session_id", "seq"),
)

recommendation_categories = sa.Table(
    "recommendation_categories",
    metadata,
    sa.Column(
        "recommendation_id",
        sa.Integer,
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
)

themes = sa.Table(
    "themes",
    metadata,
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("theme", sa.Text, nullable=False),
)

# The dashboard's questions (`analysis.store.questions`) aggregate these tables in SQL. These
# indexes hold every column those questions read, so SQLite answers them from the index alone
# (a session row, and a turn row, carry long texts that a scan would otherwise read), and the
# agency and theme filters find their sessions by value (migrations 0003, 0004).
DASHBOARD_INDEXES = (
    sa.Index(
        "ix_sessions_dashboard",
        sessions.c.kind,
        sessions.c.session_date,
        sessions.c.programme_id,
        sessions.c.province,
        sessions.c.participant_count,
        sessions.c.reviewed_by,
        sessions.c.n_turns,
        sessions.c.n_recommendations,
        postgresql_include=["id"],  # the sessions that pass, from the index alone (0004)
    ),
    sa.Index(
        "ix_session_agencies_canonical", session_agencies.c.canonical, session_agencies.c.session_id
    ),
    sa.Index("ix_themes_theme", themes.c.theme, themes.c.session_id),
    sa.Index(
        "ix_turns_dashboard",
        turns.c.session_id,
        turns.c.speaker_role,
        turns.c.agency_canonical,
        turns.c.chars,
        turns.c.speaker,
    ),
    sa.Index("ix_recommendations_status", recommendations.c.session_id, recommendations.c.status),
    sa.Index(
        "ix_recommendation_categories_category",
        recommendation_categories.c.category,
        recommendation_categories.c.recommendation_id,
    ),
    # the review queue: the sessions nobody has reviewed, oldest import first
    sa.Index(
        "ix_sessions_review_queue",
        sessions.c.imported_at,
        sessions.c.id,
        sqlite_where=sessions.c.reviewed_by.is_(None),
        postgresql_where=sessions.c.reviewed_by.is_(None),
    ),
    # the dashboard looks for changes every few seconds (`ui_state.store_version`): the latest
    # edit times are read from these, not from a scan of every session
    sa.Index("ix_sessions_updated_at", sessions.c.updated_at),
    sa.Index("ix_sessions_reviewed_at", sessions.c.reviewed_at),
    sa.Index("ix_followups_updated_at", followups.c.updated_at),
    # a viewer sees a speaker as role + agency, numbered among that role and agency's speakers
    # (`questions.scope.speaker_numbers`): one range of this index per role and agency shown
    sa.Index(
        "ix_turns_speakers",
        turns.c.speaker_role,
        turns.c.agency,
        turns.c.speaker,
        turns.c.session_id,
        turns.c.seq,
    ),
    # the recommendation table's order, newest session first (`questions.recommendations.
    # newest_first`), so that a page of it, or the newest 10,000, is read from the newest
    # sessions down instead of sorting every recommendation. PostgreSQL only (0004): its plain
    # index walked backwards puts sessions without a date first; SQLite sorts NULL first, so
    # its session_date index, walked backwards, already gives this order.
    sa.Index(
        "ix_sessions_newest", sessions.c.session_date.desc().nulls_last(), sessions.c.id.desc()
    ).ddl_if(dialect="postgresql"),
)

# ----------------------------------------------------------------------------- people and audit
# Not children of a session: deleting a session keeps its audit entries (with their values
# redacted) and never touches users.

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),  # lower-case
    sa.Column("name", sa.String(200)),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text),  # argon2id; NULL: signs in through OpenID Connect only
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="role"),
)

login_sessions = sa.Table(
    "login_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # SHA-256 of the token, never it
    sa.Column(
        "email",
        sa.String(320),
        sa.ForeignKey("users.email", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("actor_email", sa.String(320), nullable=False, index=True),
    sa.Column("action", sa.String(40), nullable=False, index=True),
    sa.Column("session_id", sa.Integer, index=True),  # no foreign key: outlives the session
    sa.Column("details", JSONValue, nullable=False),
)

# Rebuilt from the effective record; deleted before `sessions` rows (children first).
MATERIALISED_TABLES = (recommendation_categories, recommendations, turns, session_agencies, themes)
SESSION_CHILD_TABLES = (*MATERIALISED_TABLES, corrections, followups)
