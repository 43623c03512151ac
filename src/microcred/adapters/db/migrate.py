"""Run the packaged Alembic migrations programmatically (``microcred db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Create or upgrade the schema to ``revision`` (every branch's head by default)."""
    command.upgrade(alembic_config(engine), revision)


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at (empty for an empty database)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def packaged_heads(engine: Engine) -> set[str]:
    """The head revisions the packaged migrations lead to (one, when the history is linear)."""
    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def is_up_to_date(engine: Engine) -> bool:
    """Whether every packaged head is applied (a branch's dependencies count as applied)."""
    current = current_revisions(engine)
    if not current:
        return False
    script = ScriptDirectory.from_config(alembic_config(engine))
    applied = {r.revision for r in script.iterate_revisions(tuple(current), "base") if r}
    return set(script.get_heads()) <= applied
