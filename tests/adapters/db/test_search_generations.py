"""The search's facet bitmaps follow the index across processes and transactions: a change
committed by one Platform is seen by another on the same database, and a rolled-back index
write leaves no bitmaps of its own behind (the generation stamp, migration 0018)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.adapters.db import search_sql
from microcred.adapters.db.tables import OpportunityVersion
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import parse_search_query, prepare
from microcred.services import esco, search
from microcred.services.context import SYSTEM, Context
from tests.platform.fixtures import PUBLIC_URL, Clock, _empty_postgres
from tests.search_corpus import insert_corpus

COUNT = 30


@pytest.fixture
def platforms(database_url: str, tmp_path: Path) -> Iterator[tuple[Platform, Platform]]:
    """Two Platforms (as two processes would have) on one database holding an indexed
    corpus; the database is emptied afterwards."""
    first, second = (
        Platform(Settings(data_dir=tmp_path / name, database_url=database_url,
                          public_url=PUBLIC_URL, remote_resolution=False), clock=Clock())
        for name in ("first", "second")
    )  # fmt: skip
    first.upgrade()
    with first.context(SYSTEM) as ctx:
        insert_corpus(ctx.session, COUNT)
        search.reindex_all(ctx)
        ctx.session.commit()
    yield first, second
    first.dispose()
    second.dispose()
    if not database_url.startswith("sqlite"):
        _empty_postgres(database_url)


def _search(ctx: Context, **params: str) -> search_sql.SqlPage:
    """A search's page, after checking its facet counts against an SQL GROUP BY."""
    query = parse_search_query({"per_page": "100", **params})
    prepared = prepare(query.text, query.language, esco.concept_index(ctx))
    connection = ctx.session.connection()
    page = search_sql.run(connection, query, prepared)
    assert page.facets == search_sql.sql_facet_counts(connection, query, prepared)
    return page


def _ids(page: search_sql.SqlPage) -> set[str]:
    return {str(document["id"]) for document, _ in page.rows}


def _withdraw(ctx: Context, opportunity_id: int) -> None:
    """Take the opportunity's published version away and reindex it (out of the index)."""
    ctx.session.query(OpportunityVersion).filter_by(opportunity_id=opportunity_id).update(
        {"is_latest": False}
    )
    assert not search.reindex(ctx, opportunity_id)


def test_an_index_change_in_one_platform_is_seen_by_another(
    platforms: tuple[Platform, Platform],
) -> None:
    first, second = platforms
    with second.context(SYSTEM) as ctx:
        before = _search(ctx)
        assert before.total == COUNT
        assert "1" in _ids(before)
    with first.context(SYSTEM) as ctx:
        _withdraw(ctx, 1)
        ctx.session.commit()
    with second.context(SYSTEM) as ctx:
        after = _search(ctx)
        assert after.total == COUNT - 1
        assert "1" not in _ids(after)
        assert after.facets != before.facets


def test_a_rolled_back_index_write_leaves_no_stale_bitmaps(
    platforms: tuple[Platform, Platform],
) -> None:
    first, second = platforms
    with first.context(SYSTEM) as ctx:
        _withdraw(ctx, 1)
        inside = _search(ctx)  # bitmaps of the transaction's own, uncommitted generation
        assert inside.total == COUNT - 1
        ctx.session.rollback()
    for platform in (first, second):
        with platform.context(SYSTEM) as ctx:
            page = _search(ctx)
            assert page.total == COUNT
            assert "1" in _ids(page)
