"""Alembic environment of the question history: run by HistoryStore.open() with its connection."""

from __future__ import annotations

from alembic import context

from assistant.history.model import metadata

VERSION_TABLE = "history_alembic_version"  # its own, should the history share a database with the catalog

connection = context.config.attributes.get("connection")
if connection is None:
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
