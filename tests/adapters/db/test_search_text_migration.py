"""Migration 0022 moves PostgreSQL's full-text column out of ``search_documents`` into the
narrow ``search_text``: a database indexed before it keeps every term, so every query finds
the same page with the same ranks; and back (downgrade)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from microcred.adapters.db import search_sql
from microcred.adapters.db.migrate import (
    alembic_config,
    current_revisions,
    packaged_heads,
    upgrade,
)
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import parse_search_query, prepare
from microcred.services import esco, search
from microcred.services.context import SYSTEM
from tests.platform.fixtures import PUBLIC_URL, Clock, _empty_postgres
from tests.search_corpus import QUERIES, insert_corpus

pytestmark = pytest.mark.postgres


@pytest.fixture
def platform(postgres_url: str, tmp_path: Path) -> Iterator[Platform]:
    """A database of 60 indexed opportunities."""
    _empty_postgres(postgres_url)
    made = Platform(Settings(data_dir=tmp_path, database_url=postgres_url, public_url=PUBLIC_URL,
                             remote_resolution=False), clock=Clock())  # fmt: skip
    made.upgrade()
    with made.context(SYSTEM) as ctx:
        insert_corpus(ctx.session, 60)
        search.reindex_all(ctx)
        ctx.session.commit()
    yield made
    upgrade(made.engine)  # leave the shared database at the head, empty
    made.dispose()
    _empty_postgres(postgres_url)


def _pages(platform: Platform) -> list[list[tuple[int, float]]]:
    pages = []
    with platform.context(SYSTEM) as ctx:
        connection = ctx.session.connection()
        for words in QUERIES:
            query = parse_search_query({"q": words, "per_page": "100"})
            prepared = prepare(query.text, query.language, esco.concept_index(ctx))
            pages.append(search_sql.sql_page(connection, query, prepared))
    return pages


def _tables(platform: Platform) -> tuple[bool, bool]:
    """(search_text exists, search_documents has a tsv column)."""
    with platform.engine.connect() as connection:
        found = connection.execute(text(
            "SELECT to_regclass('search_text') IS NOT NULL, EXISTS (SELECT 1 FROM"
            " information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = 'search_documents' AND column_name = 'tsv')"
        )).one()  # fmt: skip
    return bool(found[0]), bool(found[1])


def test_a_database_indexed_before_0022_keeps_its_pages_and_ranks(platform: Platform) -> None:
    before = _pages(platform)
    assert any(before)
    assert _tables(platform) == (True, False)
    command.downgrade(alembic_config(platform.engine), "0021")  # the column, as before 0022
    assert _tables(platform) == (False, True)
    upgrade(platform.engine)
    assert current_revisions(platform.engine) == packaged_heads(platform.engine)
    assert _tables(platform) == (True, False)
    assert _pages(platform) == before
    with platform.context(SYSTEM) as ctx:  # and the search reads it
        found = search.run(ctx, parse_search_query({"q": "statistics"}))
        assert found.total == len(before[QUERIES.index("statistics")])
