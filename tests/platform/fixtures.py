"""Platform fixtures: every storage and API test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from microcred.adapters.db.tables import Base
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services.context import SYSTEM, Context

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PUBLIC_URL = "https://mc.example"


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def tick(self, seconds: float = 1) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own on the test server, dropped at the end of the session."""
    server = os.environ.get("MICROCRED_TEST_POSTGRES_URL", DEFAULT_PG)
    name = f"microcred_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    migrated = Platform(
        Settings(data_dir=Path("/nonexistent"), database_url=url, public_url=PUBLIC_URL)
    )
    migrated.upgrade()
    migrated.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


QUEUE_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
                "procrastinate_workers")  # fmt: skip


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join([*(t.name for t in Base.metadata.sorted_tables), *QUEUE_TABLES])
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Batches run in-process on both databases here (the services' behaviour); queued
    batches and ``microcred worker`` have their own tests (tests/services/test_batch_workers)."""
    return Settings(data_dir=tmp_path, database_url=database_url, secret_key="test-secret",
                    public_url=PUBLIC_URL, batch_workers=1, batch_chunk=50,
                    batch_runner="inline", remote_resolution=False)  # fmt: skip


@pytest.fixture
def platform(settings: Settings, clock: Clock) -> Iterator[Platform]:
    made = Platform(settings, clock=clock)
    made.upgrade()
    yield made
    made.dispose()


@pytest.fixture
def ctx(platform: Platform) -> Iterator[Context]:
    """A platform-admin context."""
    with platform.context(SYSTEM) as context:
        yield context
