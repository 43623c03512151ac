"""The SQL search (SQLite FTS5, PostgreSQL full text) agrees with the core's reference engine:
for a varied multilingual corpus and generated queries, the same result set, the same total, the
same facet counts, and the same order whenever the sort is not by relevance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.adapters.db import search_sql
from microcred.adapters.db.tables import Opportunity, OpportunityVersion
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import SearchDocument, build_document, parse_search_query, prepare
from microcred.core.search import search as reference_search
from microcred.services import esco, search
from microcred.services.context import SYSTEM, Context
from tests.platform.fixtures import PUBLIC_URL, Clock
from tests.search_corpus import PROVIDER_TYPES, QUERIES, insert_corpus


def _provider(ctx: Context, opportunity_id: int) -> int:
    """Index into PROVIDER_TYPES of the opportunity's provider (provider ids start at 1)."""
    found = ctx.session.get(Opportunity, opportunity_id)
    assert found is not None
    return found.provider_id - 1


class Indexed:
    """The indexed database and its documents (a short repr for hypothesis' reports)."""

    def __init__(self, ctx: Context, documents: list[SearchDocument]) -> None:
        self.ctx, self.documents = ctx, documents

    def __repr__(self) -> str:
        return f"<{len(self.documents)} indexed documents>"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def indexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Indexed]:
    """A database holding a 120-opportunity corpus, indexed; and the same documents."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'db.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    made = Platform(Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=url,
                             public_url=PUBLIC_URL, remote_resolution=False),
                    clock=Clock())  # fmt: skip
    made.upgrade()
    with made.context(SYSTEM) as ctx:
        datas = insert_corpus(ctx.session, 120)
        documents = [build_document(str(n), data, provider_type=PROVIDER_TYPES[_provider(ctx, n)],
                                    published=date(2026, 3, 1))
                     for n, data in enumerate(datas, start=1)]  # fmt: skip
        assert search.reindex_all(ctx) == 120
        yield Indexed(ctx, documents)
        ctx.session.rollback()
    made.dispose()


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "country": st.sampled_from(["FR", "RO", "DE", "BE", "FR,RO"]),
        "eqf": st.sampled_from(["4", "5,6", "7"]),
        "isced": st.sampled_from(["06", "061", "0613", "05,07"]),
        "nuts": st.sampled_from(["RO", "RO3", "FR1"]),
        "language": st.sampled_from(["en", "fr", "ro,de"]),
        "provider_type": st.sampled_from(PROVIDER_TYPES),
        "recognition": st.sampled_from(["yes", "no"]),
        "ects_min": st.sampled_from(["3", "5"]),
        "ects_max": st.sampled_from(["6", "30"]),
        "price_max": st.sampled_from(["0", "300", "1000"]),
        "starts_from": st.sampled_from(["2026-04-01", "2026-09-01"]),
        "sort": st.sampled_from(["relevance", "date", "ects", "price"]),
        "order": st.sampled_from(["asc", "desc"]),
        "lang": st.sampled_from(["en", "fr", "ro", "de"]),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.sampled_from(QUERIES), filters=FILTERS)
def test_sql_search_agrees_with_the_reference_engine(
    indexed: Indexed, text: str, filters: dict[str, str]
) -> None:
    ctx, documents = indexed.ctx, indexed.documents
    query = parse_search_query({"q": text, "per_page": "100", **filters})
    expected = reference_search(documents, query)
    got = search.run(ctx, query)
    assert got.total == expected.total
    assert {h.document.id for h in got.hits} == {h.document.id for h in expected.hits}
    assert got.facets == expected.facets
    if query.sort.value != "relevance":
        assert [h.document.id for h in got.hits] == [h.document.id for h in expected.hits]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.sampled_from(["", *QUERIES]), filters=FILTERS)
def test_bitmap_facet_counts_equal_an_sql_group_by(
    indexed: Indexed, text: str, filters: dict[str, str]
) -> None:
    """The facet counts the search shows (bitmaps of the index generation) are those of a
    straightforward SQL GROUP BY over the same query's results."""
    ctx = indexed.ctx
    query = parse_search_query({"q": text, **filters})
    prepared = prepare(query.text, query.language, esco.concept_index(ctx))
    connection = ctx.session.connection()
    got = search_sql.run(connection, query, prepared)
    assert got.facets == search_sql.sql_facet_counts(connection, query, prepared)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.sampled_from(["", *QUERIES]),
    filters=FILTERS,
    per_page=st.sampled_from(["1", "3", "7", "20"]),
    page=st.sampled_from(["1", "2", "5"]),
)
@pytest.mark.parametrize("rank_all_above", [0.0, 0.6, 1.1])
def test_the_page_is_that_of_one_sql_order_by(
    indexed: Indexed,
    monkeypatch: pytest.MonkeyPatch,
    rank_all_above: float,
    text: str,
    filters: dict[str, str],
    per_page: str,
    page: str,
) -> None:
    """The page the search shows (on SQLite by relevance: FTS5's best ``k`` of the matches,
    filtered by the result set's bitmap; by a column: the bitmaps' sorted column) is exactly
    the page of one ``ORDER BY ... LIMIT`` over the matches joined with the filters (same
    rows, order, ties by id, ranks), whichever way SQLite ranks (every match, keeping the
    best k, with a second run when that did not fill the page; or only the result set's)."""
    monkeypatch.setattr(search_sql, "_RANK_ALL_ABOVE", rank_all_above)
    ctx = indexed.ctx
    query = parse_search_query({"q": text, "per_page": per_page, "page": page, **filters})
    prepared = prepare(query.text, query.language, esco.concept_index(ctx))
    connection = ctx.session.connection()
    got = search_sql.run(connection, query, prepared)
    expected = search_sql.sql_page(connection, query, prepared)
    assert [(int(d["id"]), rank) for d, rank in got.rows] == expected


def test_the_fts5_top_statement_ranks_with_the_bm25_weights() -> None:
    assert search_sql.SQLITE_BM25 in search_sql._SQLITE_TOP_ASC
    assert search_sql.SQLITE_BM25 in search_sql._SQLITE_RANKS
    assert search_sql.SQLITE_BM25 in search_sql._SQLITE_AMONG_ASC


def test_a_romanian_query_finds_french_courses_and_says_why(
    indexed: Indexed,
) -> None:
    ctx = indexed.ctx
    results = search.search_catalogue(ctx, {"q": "programare", "lang": "ro", "country": "FR"})
    assert results.total > 0
    french = [h for h in results.hits if "fr" in h.document.texts and "ro" not in h.document.texts]
    assert french, "no French-only course found by a Romanian word"
    assert any(m.concept.notation == "0613" for m in french[0].concepts)


def test_reindexing_replaces_and_removes_entries(
    indexed: Indexed,
) -> None:
    ctx, documents = indexed.ctx, indexed.documents
    first = int(documents[0].id)
    connection = ctx.session.connection()
    assert search_sql.index_opportunity(connection, first)  # again: no duplicate
    assert search_sql.indexed_count(connection) == len(documents)
    ctx.session.query(OpportunityVersion).filter_by(opportunity_id=first).update(
        {"is_latest": False}
    )
    assert not search.reindex(ctx, first)
    assert search_sql.indexed_count(connection) == len(documents) - 1
    assert search.run(ctx, parse_search_query({"per_page": "100"})).total == len(documents) - 1
    ctx.session.rollback()


PG_QUERIES = [*QUERIES, "data python", "web développement", "analyse données publiques"]


@pytest.mark.parametrize("text", [q for q in PG_QUERIES if q.strip()])
def test_postgres_rank_groups_hold_every_matchs_ts_rank(indexed: Indexed, text: str) -> None:
    """On PostgreSQL the relevance page comes from the matches grouped by which of the query's
    tokens they have, one ``ts_rank`` per group: that is every match's own ``ts_rank`` (the
    index stores no positions), and exactly the matches."""
    ctx = indexed.ctx
    connection = ctx.session.connection()
    if connection.dialect.name == "sqlite":
        pytest.skip("PostgreSQL's ts_rank")
    prepared = prepare(text, "en", esco.concept_index(ctx))
    groups = search_sql._word_alternatives(prepared)
    ranked = search_sql._pg_rank_groups(connection, groups)
    got = {n: rank for rank, ids in ranked for n in ids}
    assert sum(len(ids) for _, ids in ranked) == len(got)  # no id in two groups
    every = connection.exec_driver_sql(
        "SELECT opportunity_id, ts_rank(tsv, CAST(%(q)s AS tsquery)) FROM search_text"
        " WHERE tsv @@ CAST(%(q)s AS tsquery)",
        {"q": search_sql._tsquery(groups)},
    )
    assert got == {n: float(r) for n, r in every}
