"""Alembic environment for the Sangkhro store.

`analysis.store.get_engine` runs ``upgrade head`` programmatically and hands over its connection
in ``config.attributes["connection"]``. From the command line (``alembic -c alembic.ini …`` at the
repository root) the URL comes from ``SANGKHRO_DATABASE_URL`` or the default SQLite file.
"""

from __future__ import annotations

from alembic import context

from analysis.models import metadata

config = context.config


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite needs table copies for ALTER; harmless on PostgreSQL
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    from analysis.store import database_url

    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from analysis.store import _create_engine, database_url

    engine = _create_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        with engine.begin() as connection:
            _configure_and_run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
