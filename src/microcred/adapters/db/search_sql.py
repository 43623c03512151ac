"""Catalogue search in SQL: SQLite FTS5 (``bm25``) or PostgreSQL full text (``ts_rank``).

Both store the core's index terms verbatim (``SearchDocument.index_texts``: stemmed, folded) and
match a query word when one of its stems, or a token of a concept it names, is among a
document's terms; filters and disjunctive facet counts are plain SQL over ``search_documents``
and ``search_values``. The reference engine (``core.search.engine``) is the specification: the
same result set and facet counts for any documents and query (``tests/adapters/db``).
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pyroaring import BitMap
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    Select,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from microcred.adapters.db import search_bitmaps
from microcred.adapters.db.tables import OpportunityVersion, Provider, SearchEntry, SearchValue
from microcred.core.esco import EscoData
from microcred.core.search.document import SearchDocument, build_document
from microcred.core.search.facets import FACETS, facet_values
from microcred.core.search.matching import PreparedQuery
from microcred.core.search.query import Filters, SearchQuery, Sort
from microcred.core.search.text import fold

FIELDS = ("title", "description", "outcomes", "provider")
SQLITE_BM25 = (
    "bm25(search_fts, 3.0, 1.0, 1.5, 1.0, 2.0)"  # title, description, outcomes, provider, concepts
)


def concept_token(uri: str) -> str:
    """The index token of a concept URI (letters and digits only, so both tokenizers keep it)."""
    return "zc" + hashlib.sha256(uri.encode()).hexdigest()[:20]


def _is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def _field_terms(document: SearchDocument) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {name: [] for name in FIELDS}
    for fields in document.index_texts().values():
        for name, value in fields.items():
            merged[name].extend(value.split())
    return merged


def store(connection: Connection, opportunity_id: int, document: SearchDocument) -> None:
    """Index (or re-index) one opportunity's published document."""
    remove(connection, opportunity_id)
    store_many(connection, [(opportunity_id, document)], stamp=False)  # remove() stamped


def store_many(
    connection: Connection, items: Sequence[tuple[int, SearchDocument]], *, stamp: bool = True
) -> None:
    """Index opportunities not in the index yet, with one round trip per table (bulk); a new
    index generation unless ``stamp`` is false (:func:`index_all`)."""
    if not items:
        return
    if stamp:
        search_bitmaps.touch(connection, [n for n, _ in items])
    entries: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for opportunity_id, document in items:
        if document.id != str(opportunity_id):  # ties are broken by doc_key as the id's text
            raise ValueError(f"document {document.id!r} indexed as opportunity {opportunity_id}")
        price = document.price if document.currency in (None, "EUR") else None
        entries.append({"opportunity_id": opportunity_id, "doc_key": document.id,
                        "document": document.model_dump(mode="json"), "nuts": document.nuts,
                        "isced": document.isced, "eqf": document.eqf,
                        "recognition": document.recognition, "ects": document.ects,
                        "price_eur": price, "start_date": document.start_date})  # fmt: skip
        found = {(f, v[:70]) for f in FACETS for v in facet_values(document, f)}
        values.extend({"opportunity_id": opportunity_id, "facet": f, "value": v} for f, v in found)
        terms = _field_terms(document)
        concepts = [concept_token(uri) for uri in document.concepts]
        texts.append({"id": opportunity_id, "concepts": concepts, **terms})
    connection.execute(insert(SearchEntry), entries)
    if values:
        connection.execute(insert(SearchValue), values)
    if _is_sqlite(connection):
        joined = [
            {k: " ".join(v) if isinstance(v, list) else v for k, v in t.items()} for t in texts
        ]
        connection.execute(_SQLITE_FTS, joined)
    else:
        connection.execute(_PG_TSV, texts)


def _joined(params: dict[str, Any]) -> dict[str, Any]:
    return {k: " ".join(v) if isinstance(v, list) else v for k, v in params.items()}


_SQLITE_FTS = text(
    "INSERT INTO search_fts (rowid, title, description, outcomes, provider, concepts)"
    " VALUES (:id, :title, :description, :outcomes, :provider, :concepts)"
)
_PG_TSV = text(  # search_text: a narrow table, so a match reads 28 MB, not 254 (0022)
    "INSERT INTO search_text (opportunity_id, tsv) VALUES (:id,"
    " setweight(array_to_tsvector(CAST(:title AS text[])), 'A')"
    " || setweight(array_to_tsvector(CAST(:outcomes AS text[])), 'B')"
    " || setweight(array_to_tsvector(CAST(:description AS text[])), 'C')"
    " || setweight(array_to_tsvector(CAST(:provider AS text[])), 'C')"
    " || setweight(array_to_tsvector(CAST(:concepts AS text[])), 'D'))"
)


def remove(connection: Connection, opportunity_id: int) -> None:
    """Take one opportunity out of the index (no error if it is not there)."""
    search_bitmaps.touch(connection, [opportunity_id])
    if _is_sqlite(connection):
        connection.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": opportunity_id})
    connection.execute(delete(SearchValue).where(SearchValue.opportunity_id == opportunity_id))
    connection.execute(delete(SearchEntry).where(SearchEntry.opportunity_id == opportunity_id))


def index_opportunity(
    connection: Connection, opportunity_id: int, esco: EscoData | None = None
) -> bool:
    """(Re-)index an opportunity from its latest published version; False (and out of the
    index) when it has none."""
    v = OpportunityVersion
    row = connection.execute(
        select(v.opportunity_id, v.data, v.published_at, Provider.type)
        .join(Provider, Provider.id == v.provider_id)
        .where(v.opportunity_id == opportunity_id, v.is_latest.is_(True))
    ).first()  # fmt: skip
    if row is None:
        remove(connection, opportunity_id)
        return False
    store(connection, opportunity_id, _document(row, esco))
    return True


def index_all(connection: Connection, esco: EscoData | None = None, *, stamp: bool = True) -> int:
    """Index every opportunity that has a published version; how many. One new index
    generation; none when ``stamp`` is false (migration 0003 runs before the stamp's table)."""
    v = OpportunityVersion
    rows = connection.execute(
        select(v.opportunity_id, v.data, v.published_at, Provider.type)
        .join(Provider, Provider.id == v.provider_id).where(v.is_latest.is_(True))
    )  # fmt: skip
    if stamp:
        search_bitmaps.touch(connection)
    if _is_sqlite(connection):
        connection.execute(text("DELETE FROM search_fts"))
    else:  # in one statement, not one cascaded delete per entry
        connection.execute(text("DELETE FROM search_text"))
    connection.execute(delete(SearchValue))
    connection.execute(delete(SearchEntry))
    count = 0
    for chunk in _chunks(rows, 500):
        store_many(connection, [(r.opportunity_id, _document(r, esco)) for r in chunk],
                   stamp=False)  # fmt: skip
        count += len(chunk)
    analyze(connection)
    return count


def analyze(connection: Connection) -> None:
    """Refresh the planner's statistics of the index tables: without them SQLite drives a facet
    count by the value index over the whole catalogue (measured: 250 ms instead of 70 ms for a
    filters-only query at 5,000 opportunities)."""
    names = ["search_documents", "search_values"]
    if not _is_sqlite(connection):
        names.append("search_text")
    for name in names:
        connection.execute(text(f"ANALYZE {name}"))


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _document(row: Any, esco: EscoData | None) -> SearchDocument:
    return build_document(str(row.opportunity_id), row.data, provider_type=row.type,
                          published=row.published_at.date(), esco=esco)  # fmt: skip


def indexed_count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(SearchEntry)).scalar_one()


# -- matching ----------------------------------------------------------------------------------


def _word_alternatives(query: PreparedQuery) -> list[list[str]]:
    """Per query word, the tokens any of which covers it: its stems, its concepts' tokens."""
    groups = []
    for word in query.words:
        tokens = set(word.stems)
        for match in query.concepts:
            if fold(word.text) in {fold(w) for w in match.words}:
                tokens.add(concept_token(match.concept.uri))
        groups.append(sorted(t for t in tokens if t))
    return groups


def _fts5_expression(groups: Sequence[Sequence[str]]) -> str:
    return " AND ".join("(" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups)


def _tsquery(groups: Sequence[Sequence[str]]) -> str:
    def quoted(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join("(" + " | ".join(quoted(t) for t in group) + ")" for group in groups)


@dataclass(frozen=True)
class _Match:
    """How the text part of a query restricts and ranks ``search_documents``."""

    condition: ColumnElement[bool] | None
    rank: ColumnElement[Any] | None  # higher is better
    matched: Any  # SQLite: the full-text matches (id, rank), computed once and joined


def _match(connection: Connection, query: PreparedQuery) -> _Match:
    return _match_groups(connection, _word_alternatives(query))


def _match_groups(connection: Connection, groups: Sequence[Sequence[str]]) -> _Match:
    """Documents with a token of every group (the groups ANDed, a group's tokens ORed)."""
    if not groups:
        return _Match(None, None, None)
    if _is_sqlite(connection):
        fts: ColumnElement[Any] = literal_column("search_fts")
        matched = (
            select(literal_column("rowid").label("id"),
                   literal_column(f"-{SQLITE_BM25}", Float).label("rank"))
            .select_from(table("search_fts"))
            .where(fts.op("MATCH", return_type=Boolean)(bindparam("fts", _fts5_expression(groups))))
            .subquery("matched")
        )  # fmt: skip
        return _Match(None, matched.c.rank, matched)
    tsquery = cast(bindparam("tsq", _tsquery(groups)), TSQUERY)
    tsv = literal_column("search_text.tsv", TSVECTOR)
    matched = (
        select(literal_column("search_text.opportunity_id").label("id"),
               func.ts_rank(tsv, tsquery).label("rank"))
        .select_from(table("search_text"))
        .where(tsv.op("@@", return_type=Boolean)(tsquery))
        .subquery("matched")
    )  # fmt: skip
    return _Match(None, matched.c.rank, matched)


# -- filters -----------------------------------------------------------------------------------


def _has_value(facet: str, values: Iterable[str]) -> ColumnElement[bool]:
    v = aliased(SearchValue)  # never correlated with the facet queries' own SearchValue
    return exists().where(v.opportunity_id == SearchEntry.opportunity_id, v.facet == facet,
                          v.value.in_(list(values)))  # fmt: skip


def _prefixed(column: Any, prefixes: Iterable[str]) -> ColumnElement[bool]:
    return or_(*(column.startswith(p, autoescape=True) for p in prefixes))


def _in_range(column: Any, low: object, high: object) -> ColumnElement[bool] | None:
    if low is None and high is None:
        return None
    parts = [column.is_not(None)]
    if low is not None:
        parts.append(column >= low)
    if high is not None:
        parts.append(column <= high)
    return and_(*parts)


def _filter_conditions(f: Filters) -> dict[str, ColumnElement[bool] | None]:
    among = {"country": f.country, "qf_ehea": f.qf_ehea, "mode": f.mode, "language": f.language,
             "provider_type": f.provider_type, "qa_type": f.qa_type}  # fmt: skip
    conditions: dict[str, ColumnElement[bool] | None] = {
        name: _has_value(name, values) if values else None for name, values in among.items()
    }
    conditions["nuts"] = _prefixed(SearchEntry.nuts, f.nuts) if f.nuts else None
    conditions["isced"] = _prefixed(SearchEntry.isced, f.isced) if f.isced else None
    conditions["eqf"] = SearchEntry.eqf.in_(f.eqf) if f.eqf else None
    conditions["recognition"] = (
        None if f.recognition is None else SearchEntry.recognition.is_(f.recognition)
    )
    conditions["ects"] = _in_range(SearchEntry.ects, f.ects_min, f.ects_max)
    conditions["price"] = _in_range(SearchEntry.price_eur, f.price_min, f.price_max)
    conditions["start"] = _in_range(SearchEntry.start_date, f.starts_from, f.starts_until)
    return conditions


def _restricted(
    statement: Select[Any] | Any, match: _Match, conditions: Iterable[Any]
) -> Select[Any]:
    if match.matched is not None:
        statement = statement.join(match.matched, match.matched.c.id == SearchEntry.opportunity_id)
    if match.condition is not None:
        statement = statement.where(match.condition)
    return statement.where(*(c for c in conditions if c is not None))


# -- the search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlPage:
    """What the database answers: the total, one page of (document, rank), the facet counts."""

    total: int
    rows: tuple[tuple[dict[str, Any], float], ...]
    facets: dict[str, tuple[tuple[str, int], ...]]
    generation: str = ""  # the index generation's stamp (what a cache of the page may key on)


_SORT_COLUMNS = {Sort.DATE: SearchEntry.start_date, Sort.ECTS: SearchEntry.ects,
                 Sort.PRICE: SearchEntry.price_eur}  # fmt: skip


def _order(query: SearchQuery, rank: ColumnElement[Any] | None) -> list[Any]:
    if query.sort is Sort.RELEVANCE:
        if rank is None:
            return [SearchEntry.doc_key]
        return [rank.desc() if query.descending else rank.asc(), SearchEntry.doc_key]
    column = _SORT_COLUMNS[query.sort]
    direction = column.desc() if query.descending else column.asc()
    return [column.is_(None), direction, SearchEntry.doc_key]


def run(connection: Connection, query: SearchQuery, prepared: PreparedQuery) -> SqlPage:
    """Run ``query`` (its words and concepts ``prepared`` by the core): the result set and the
    facet counts from the index generation's bitmaps (``search_bitmaps``), the page in SQL."""
    generation = search_bitmaps.current(connection)
    groups = _word_alternatives(prepared)
    ranked: list[tuple[float, BitMap]] | None = None
    if groups and query.sort is Sort.RELEVANCE and not _is_sqlite(connection):
        ranked = _pg_rank_groups(connection, groups)
    if ranked is not None:
        matched: BitMap | None = BitMap.union(BitMap(), *(ids for _, ids in ranked))
    else:
        matched = _matching_ids(connection, groups) if groups else None
    result = search_bitmaps.evaluate(generation, matched, query.filters)
    total = len(result.ids)
    page: list[tuple[int, float]] = []
    if query.offset < total:
        if ranked is not None:
            page = _ranked_page(ranked, result.ids, query.descending, query.offset, query.per_page)
        elif groups and query.sort is Sort.RELEVANCE and _is_sqlite(connection):
            assert matched is not None
            page = _sqlite_ranked_page(connection, query, groups, result.ids, len(matched))
        elif query.sort is not Sort.RELEVANCE:
            ids = search_bitmaps.sorted_page(
                generation,
                result.ids,
                _RANGE_OF[query.sort],
                query.descending,
                query.offset,
                query.per_page,
            )
            ranks = _ranks(connection, groups, ids) if groups else {}
            page = [(n, ranks.get(n, 0.0)) for n in ids]
        else:
            page = _sql_page(connection, query, groups)
    rows: list[tuple[dict[str, Any], float]] = []
    if page:
        # the page's ids first, then their documents: sorting rows that carry the document
        # made SQLite read every match's JSON (overflow pages), not just the page's
        found = connection.execute(
            select(SearchEntry.opportunity_id, SearchEntry.document)
            .where(SearchEntry.opportunity_id.in_([n for n, _ in page]))
        )  # fmt: skip
        documents: dict[int, dict[str, Any]] = dict(found.all())
        rows = [(documents[n], rank) for n, rank in page]
    facets = dict(search_bitmaps.facet_counts(result))
    return SqlPage(total, tuple(rows), facets, generation.stamp)


def sql_page(
    connection: Connection, query: SearchQuery, prepared: PreparedQuery
) -> list[tuple[int, float]]:
    """The page's (id, rank) by one SQL ``ORDER BY ... LIMIT`` over the matches joined with the
    filters: what :func:`run` answers, done the straightforward way (its specification in the
    tests and ``bench/search.py --check``)."""
    return _sql_page(connection, query, _word_alternatives(prepared))


def _sql_page(
    connection: Connection, query: SearchQuery, groups: Sequence[Sequence[str]]
) -> list[tuple[int, float]]:
    match = _match_groups(connection, groups)
    rank = match.rank if match.rank is not None else literal_column("0.0")
    page = connection.execute(
        _restricted(select(SearchEntry.opportunity_id, rank).select_from(SearchEntry), match,
                    _filter_conditions(query.filters).values())
        .order_by(*_order(query, match.rank)).limit(query.per_page).offset(query.offset)
    )  # fmt: skip
    return [(int(n), float(r or 0)) for n, r in page]


_SQLITE_TOP_ASC = (  # the weights are SQLITE_BM25's (tests/adapters/db/test_search_sql.py)
    "SELECT rowid, -bm25(search_fts, 3.0, 1.0, 1.5, 1.0, 2.0) AS r FROM search_fts"
    " WHERE search_fts MATCH ? ORDER BY r ASC, CAST(rowid AS TEXT) LIMIT ?"
)
_SQLITE_TOP_DESC = _SQLITE_TOP_ASC.replace("r ASC", "r DESC")
_SQLITE_AMONG_ASC = (
    "SELECT rowid, -bm25(search_fts, 3.0, 1.0, 1.5, 1.0, 2.0) AS r FROM search_fts"
    " WHERE search_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))"
    " ORDER BY r ASC, CAST(rowid AS TEXT) LIMIT ?"
)
_SQLITE_AMONG_DESC = _SQLITE_AMONG_ASC.replace("r ASC", "r DESC")
# ranking only the result set's rows costs ~6 ms + ~1.1 us a row, ranking every match and
# keeping the best k ~0.85 us a match (measured at 100,000, 45,754 matches): rank them all
# when the filters keep more than this share of the matches
_RANK_ALL_ABOVE = 0.6


_RANGE_OF = {Sort.DATE: "start", Sort.ECTS: "ects", Sort.PRICE: "price"}
_SQLITE_RANKS = (  # "+rowid": a filter on the matches, not a lookup by rowid (FTS5 would
    # compute the bm25 statistics again for each id: 18 ms for 20 ids at 100,000)
    "SELECT rowid, -bm25(search_fts, 3.0, 1.0, 1.5, 1.0, 2.0) FROM search_fts"
    " WHERE search_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))"
)


_PG_RANKS = (
    "SELECT opportunity_id, ts_rank(tsv, CAST(%s AS tsquery)) FROM search_text"
    " WHERE opportunity_id = ANY(%s)"
)


def _ranks(
    connection: Connection, groups: Sequence[Sequence[str]], ids: Sequence[int]
) -> dict[int, float]:
    """The ranks of the page's ids (a page sorted by a column shows them), computed for these
    rows only: FTS5's ``bm25()`` with the statistics of the whole match, or ``ts_rank`` (which
    depends on the document and the query alone)."""
    if not ids:
        return {}
    cursor = connection.connection.cursor()
    try:
        if not _is_sqlite(connection):
            cursor.execute(_PG_RANKS, (_tsquery(groups), list(ids)))
            return {n: float(r) for n, r in cursor.fetchall()}
        cursor.execute(_SQLITE_RANKS, (_fts5_expression(groups), json.dumps(list(ids))))
        return {n: float(r) for n, r in cursor.fetchall()}
    finally:
        cursor.close()


def _sqlite_ranked_page(
    connection: Connection,
    query: SearchQuery,
    groups: Sequence[Sequence[str]],
    ids: BitMap,
    matches: int,
) -> list[tuple[int, float]]:
    """The page by relevance on SQLite, from the FTS5 table alone (no join, no sort of every
    match), ties by ``doc_key`` (``CAST(rowid AS TEXT)``: an entry's ``doc_key`` is its id as
    text), so exactly the first rows of the full ``ORDER BY``. ``bm25()`` is computed for every
    row FTS5 returns: when the filters keep most matches, FTS5 ranks them all and keeps its
    best ``k`` (what the filters' share needs, with a margin) that the result set's bitmap then
    filters; when they keep fewer (or the best ``k`` did not fill the page: the filters are
    correlated with the rank), only the result set's rows are ranked (``+rowid IN``)."""
    need = query.offset + query.per_page
    expression = _fts5_expression(groups)
    cursor = connection.connection.cursor()
    try:
        if len(ids) >= matches * _RANK_ALL_ABOVE:
            k = min(matches, int(need * matches / len(ids) * 1.5) + 50)
            top = _SQLITE_TOP_DESC if query.descending else _SQLITE_TOP_ASC
            cursor.execute(top, (expression, k))
            ranked = cursor.fetchall()
            passing = [(n, float(r)) for n, r in ranked if n in ids]
            if len(passing) >= need or len(ranked) < k or k >= matches:
                return passing[query.offset : need]
        among = _SQLITE_AMONG_DESC if query.descending else _SQLITE_AMONG_ASC
        cursor.execute(among, (expression, json.dumps(list(ids)), need))
        return [(n, float(r)) for n, r in cursor.fetchall()][query.offset :]
    finally:
        cursor.close()


def _pg_rank_groups(
    connection: Connection, groups: Sequence[Sequence[str]]
) -> list[tuple[float, BitMap]]:
    """The matches on PostgreSQL as groups of equal ``ts_rank`` (rank, ids), without ranking
    every match (``ts_rank`` costs ~2 us a row: 100-200 ms for 45,000 matches).

    The index stores no positions (``array_to_tsvector``), so ``ts_rank`` (normalization 0)
    depends on which of the query's tokens a document has, nothing else. Each token's
    documents come from the GIN index (one small statement each, read as one text); the
    matches (the groups ANDed, a group's tokens ORed) are split by the tokens they have, and
    each part's rank is ``ts_rank`` of one of its documents. Parts of equal rank are merged."""
    lexemes = sorted({token for group in groups for token in group})
    cursor = connection.connection.cursor()
    try:
        having: dict[str, BitMap] = {}
        for lexeme in lexemes:
            cursor.execute(_PG_HAVING, (_tsquery([[lexeme]]),))
            row = cursor.fetchone()
            joined = row[0] if row else None
            having[lexeme] = BitMap(json.loads(f"[{joined}]") if joined else ())
        matched = _intersection_of(BitMap.union(BitMap(), *(having[t] for t in group))
                                   for group in groups)  # fmt: skip
        parts = [matched] if matched else []
        for lexeme in lexemes:
            split: list[BitMap] = []
            for part in parts:
                split.extend(p for p in (part & having[lexeme], part - having[lexeme]) if p)
            parts = split
        if not parts:
            return []
        cursor.execute(_PG_RANKS, (_tsquery(groups), [part.min() for part in parts]))
        rank_of = {n: float(r) for n, r in cursor.fetchall()}
    finally:
        cursor.close()
    merged: dict[float, BitMap] = {}
    for part in parts:
        rank = rank_of[part.min()]
        merged[rank] = merged[rank] | part if rank in merged else part
    return list(merged.items())


_PG_HAVING = (
    "SELECT string_agg(CAST(opportunity_id AS text), ',') FROM search_text"
    " WHERE tsv @@ CAST(%s AS tsquery)"
)


def _intersection_of(bitmaps: Iterable[BitMap]) -> BitMap:
    found: BitMap | None = None
    for bitmap in bitmaps:
        found = bitmap if found is None else found & bitmap
    return found if found is not None else BitMap()


def _ranked_page(
    ranked: Sequence[tuple[float, BitMap]], ids: BitMap, descending: bool, offset: int, size: int
) -> list[tuple[int, float]]:
    """The page of ``ids`` from groups of equal rank, as ``ORDER BY rank [DESC], doc_key``:
    one rank at a time, its ids in ``ids`` by ``doc_key`` (the id as text)."""
    need = offset + size
    found: list[tuple[int, float]] = []
    for rank, members in sorted(ranked, key=lambda g: g[0], reverse=descending):
        if len(found) >= need:
            break
        tied = members & ids
        found.extend((n, rank) for n in heapq.nsmallest(need - len(found), tied, key=str))
    return found[offset:need]


def _matching_ids(connection: Connection, groups: Sequence[Sequence[str]]) -> BitMap:
    """The ids of the documents the words match: one indexed query, no ranking, read with the
    driver's cursor (SQLAlchemy's rows cost 10 times the query for 40,000 ids); on SQLite as
    one ``group_concat`` text parsed by ``json`` (half the time of a row per id)."""
    cursor = connection.connection.cursor()
    try:
        if _is_sqlite(connection):
            cursor.execute("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ?",
                           (_fts5_expression(groups),))  # fmt: skip
            row = cursor.fetchone()  # one row: an aggregate
            joined = row[0] if row else None
            return BitMap(json.loads(f"[{joined}]") if joined else ())
        cursor.execute(
            "SELECT string_agg(CAST(opportunity_id AS text), ',') FROM search_text"
            " WHERE tsv @@ CAST(%s AS tsquery)",
            (_tsquery(groups),),
        )
        row = cursor.fetchone()
        joined = row[0] if row else None
        return BitMap(json.loads(f"[{joined}]") if joined else ())
    finally:
        cursor.close()


def sql_facet_counts(
    connection: Connection, query: SearchQuery, prepared: PreparedQuery
) -> dict[str, tuple[tuple[str, int], ...]]:
    """The facet counts of ``query`` by SQL ``GROUP BY`` over its results (what the bitmaps
    count, done the straightforward way: the bitmaps' specification in the tests)."""
    return _all_facet_counts(connection, _match(connection, prepared),
                             _filter_conditions(query.filters))  # fmt: skip


def _all_facet_counts(
    connection: Connection, match: _Match, conditions: dict[str, Any]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """Disjunctive counts: the facets without an active filter share one query over the result
    set; each facet whose filter is active gets one over the results without that filter."""
    active = [name for name in FACETS if conditions.get(name) is not None]
    plans = [(tuple(f for f in FACETS if f not in active), list(conditions.values()))]
    plans += [((name,), [c for n, c in conditions.items() if n != name]) for name in active]
    counts: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
    for facets, others in plans:
        if not facets:
            continue
        if match.matched is None and match.condition is None and all(c is None for c in others):
            statement = _whole_catalogue_counts(facets)  # no join: the value index alone
        else:
            statement = _result_set_counts(facets, match, others)
        for facet, value, number in connection.execute(statement):
            counts[facet].append((str(value), int(number)))
    return {f: tuple(sorted(found, key=lambda i: (-i[1], i[0]))) for f, found in counts.items()}


def _whole_catalogue_counts(facets: Sequence[str]) -> Select[str, str, int]:
    return (select(SearchValue.facet, SearchValue.value, func.count())
            .where(SearchValue.facet.in_(facets))
            .group_by(SearchValue.facet, SearchValue.value))  # fmt: skip


def _result_set_counts(facets: Sequence[str], match: _Match, others: list[Any]) -> Select[Any]:
    # ``facet || ''`` keeps SQLite from driving the join by the facet index (in the WHERE
    # clause) or from scanning that index to save the GROUP BY's sort (in GROUP BY): the
    # results (the text matches, the filters' covering index) must drive it, not every value
    # of the facets (1.5 million rows at 100,000 opportunities: 3 times the CPU time)
    v = SearchValue
    facet = v.facet.concat("")
    joined = (select(facet, v.value, func.count()).select_from(SearchEntry)
              .join(v, v.opportunity_id == SearchEntry.opportunity_id))  # fmt: skip
    return (_restricted(joined, match, others)
            .where(facet.in_(facets))
            .group_by(facet, v.value))  # fmt: skip


def carrying(
    connection: Connection, concept_uris: Iterable[str], filters: Filters, limit: int = 1000
) -> tuple[dict[str, Any], ...]:
    """Documents that carry any of the concepts (or a narrower one) and pass the filters
    (guidance candidates), at most ``limit``."""
    tokens = sorted({concept_token(uri) for uri in concept_uris})
    if not tokens:
        return ()
    match = _match_groups(connection, [tokens])
    statement = _restricted(select(SearchEntry.document).select_from(SearchEntry), match,
                            _filter_conditions(filters).values())  # fmt: skip
    rows = connection.execute(statement.order_by(SearchEntry.doc_key).limit(limit))
    return tuple(row[0] for row in rows)
