"""CLI fixtures: a migrated SQLite database the commands find through the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.bootstrap import Platform
from microcred.cli.main import main
from microcred.cli.runtime import settings
from microcred.services import demo as demo_data
from microcred.services.context import SYSTEM
from tests.platform.fixtures import database_url, postgres_url  # noqa: F401  (both databases)


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, migrated database for the site https://mc.example; the data folder."""
    monkeypatch.setenv("MICROCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://mc.example")
    assert main(["db", "upgrade"]) == 0
    return tmp_path


@pytest.fixture
def demo_database(cli_database: Path) -> Path:
    """The same with the demo's providers, courses and credentials."""
    platform = Platform(settings())
    with platform.unit_of_work(SYSTEM) as ctx:
        demo_data.seed(ctx)
    platform.dispose()
    return cli_database
