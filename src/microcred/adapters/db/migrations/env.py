"""Alembic environment: the engine comes from ``config.attributes`` (see ``migrate.py``)."""

from __future__ import annotations

from alembic import context

# their models join Base.metadata
from microcred.adapters.db import case_tables, learner_models  # noqa: F401
from microcred.adapters.db.tables import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
