"""The search's facet bitmaps follow the index across processes and transactions: a change
committed by one Platform is seen by another on the same database, and a rolled-back index
write leaves no bitmaps of its own behind (the generation stamp, migration 0018); publishing,
withdrawing or updating an opportunity patches the bitmaps held instead of loading them again,
and the patched bitmaps are exactly what a load gives (the change log, migration 0021)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Connection

from microcred.adapters.db import search_bitmaps, search_sql
from microcred.adapters.db.tables import OpportunityVersion
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import parse_search_query, prepare
from microcred.services import esco, search
from microcred.services.context import SYSTEM, Context
from tests.platform.fixtures import PUBLIC_URL, Clock, _empty_postgres
from tests.search_corpus import AUTHORITY, insert_corpus

COUNT = 30
LOAD = search_bitmaps.load  # a full load, whatever a test's spy does


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


def _held(ctx: Context) -> search_bitmaps.Generation:
    """The bitmaps this platform holds for the transaction's generation, checked equal to
    what a full load of the index gives (the patch is exactly a load)."""
    connection = ctx.session.connection()
    held = search_bitmaps.current(connection)
    assert held == LOAD(connection, held.stamp)
    return held


def _change_level_and_country(ctx: Context, opportunity_id: int) -> None:
    """Publish new data for the opportunity (another EQF level and country) and reindex it."""
    version = (
        ctx.session.query(OpportunityVersion)
        .filter_by(opportunity_id=opportunity_id, is_latest=True)
        .one()
    )
    data = copy.deepcopy(version.data)
    data["credential"]["level"] = {"eqf": {"id": "http://data.europa.eu/snb/eqf/8"}}
    country = f"{AUTHORITY}/country/ITA"
    data["credential"]["issuer_countries"] = [{"country": {"id": country}}]
    version.data = data
    assert search.reindex(ctx, opportunity_id)


def _republish(ctx: Context, opportunity_id: int) -> None:
    ctx.session.query(OpportunityVersion).filter_by(opportunity_id=opportunity_id).update(
        {"is_latest": True}
    )
    assert search.reindex(ctx, opportunity_id)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stamps for which a platform loaded its bitmaps in full (rather than patched them)."""
    seen: list[str] = []
    original = search_bitmaps.load

    def counted(connection: Connection, stamp: str) -> search_bitmaps.Generation:
        seen.append(stamp)
        return original(connection, stamp)

    monkeypatch.setattr(search_bitmaps, "load", counted)
    return seen


def test_publish_withdraw_and_update_patch_the_bitmaps_of_another_platform(
    platforms: tuple[Platform, Platform], loads: list[str]
) -> None:
    first, second = platforms
    with second.context(SYSTEM) as ctx:
        _search(ctx)
    assert len(loads) == 1
    steps = [lambda c: _withdraw(c, 1), lambda c: _change_level_and_country(c, 2),
             lambda c: _republish(c, 1)]  # fmt: skip
    for step in steps:
        with first.context(SYSTEM) as ctx:
            step(ctx)
            ctx.session.commit()
        with second.context(SYSTEM) as ctx:
            page = _search(ctx, eqf="8")
            _held(ctx)
    assert len(loads) == 1  # patched three times, never loaded again
    assert {"2"} <= _ids(page)
    with second.context(SYSTEM) as ctx:
        assert _search(ctx).total == COUNT
        assert _search(ctx, country="IT").total == 1
        _held(ctx)


def test_a_platform_several_changes_behind_follows_them_all(
    platforms: tuple[Platform, Platform], loads: list[str]
) -> None:
    first, second = platforms
    with second.context(SYSTEM) as ctx:
        _search(ctx)
    with first.context(SYSTEM) as ctx:
        _withdraw(ctx, 3)
        ctx.session.commit()
    with first.context(SYSTEM) as ctx:
        _withdraw(ctx, 4)
        _change_level_and_country(ctx, 5)
        ctx.session.commit()
    with second.context(SYSTEM) as ctx:
        page = _search(ctx)
        assert page.total == COUNT - 2
        assert _search(ctx, eqf="8").total >= 1
        _held(ctx)
    assert len(loads) == 1


def test_a_rolled_back_change_is_patched_in_its_transaction_only(
    platforms: tuple[Platform, Platform], loads: list[str]
) -> None:
    first, second = platforms
    for platform in (first, second):
        with platform.context(SYSTEM) as ctx:
            _search(ctx)
    with first.context(SYSTEM) as ctx:
        _change_level_and_country(ctx, 6)
        assert _search(ctx, country="IT").total == 1  # its own, uncommitted generation
        _held(ctx)
        ctx.session.rollback()
    with first.context(SYSTEM) as ctx:  # then another change, after the rolled-back one
        _withdraw(ctx, 7)
        ctx.session.commit()
    for platform in (first, second):
        with platform.context(SYSTEM) as ctx:
            assert _search(ctx, country="IT").total == 0
            assert _search(ctx).total == COUNT - 1
            _held(ctx)
    assert len(loads) == 2  # once per platform: every change since was patched


def test_rebuilding_the_whole_index_loads_the_bitmaps_again(
    platforms: tuple[Platform, Platform], loads: list[str]
) -> None:
    first, second = platforms
    with second.context(SYSTEM) as ctx:
        _search(ctx)
    with first.context(SYSTEM) as ctx:
        _withdraw(ctx, 1)
        search.reindex_all(ctx)
        ctx.session.commit()
    with second.context(SYSTEM) as ctx:
        assert _search(ctx).total == COUNT - 1
        _held(ctx)
    assert len(loads) == 2
