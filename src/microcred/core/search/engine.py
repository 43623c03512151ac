"""The reference search engine: filters, matching, BM25 ranking and facet counts in pure Python.

It is the specification the SQL implementations (SQLite FTS5 ``bm25``, PostgreSQL ``ts_rank``)
are tested against: for any documents and query they must return the same *set* of results and
the same facet counts; the order of results may differ, except that documents are sorted by the
chosen field when the sort is not ``relevance``. See ``docs/search.md``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from microcred.core.search.concepts import ConceptIndex, ConceptMatch, packaged_concept_index
from microcred.core.search.document import FIELD_WEIGHTS, SearchDocument
from microcred.core.search.facets import FacetValue, count_facets, passes
from microcred.core.search.matching import (
    Coverage,
    PreparedQuery,
    cover,
    document_terms,
    prepare,
)
from microcred.core.search.query import SearchQuery, Sort

K1 = 1.2
B = 0.75
CONCEPT_WEIGHT = 2.0


@dataclass(frozen=True)
class Hit:
    """One result: the document, its score and why it matched."""

    document: SearchDocument
    score: float
    text_words: tuple[str, ...]
    concepts: tuple[ConceptMatch, ...]


@dataclass(frozen=True)
class SearchResults:
    """One page of results, the total, and the facet counts of the whole result set."""

    query: SearchQuery
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    concepts: tuple[ConceptMatch, ...]


class _Bm25:
    """BM25 over the weighted fields of every language, with IDF from the whole corpus."""

    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self.frequencies: dict[str, Counter[str]] = {}
        self.lengths: dict[str, float] = {}
        seen: Counter[str] = Counter()
        for document in documents:
            counts: Counter[str] = Counter()
            for fields in document.index_texts().values():
                for name, value in fields.items():
                    for item in value.split():
                        counts[item] += FIELD_WEIGHTS[name]  # type: ignore[assignment]
            self.frequencies[document.id] = counts
            self.lengths[document.id] = float(sum(counts.values()))
            seen.update(counts.keys())
        self.total = max(len(documents), 1)
        self.average = (sum(self.lengths.values()) / self.total) or 1.0
        self.seen = seen

    def score(self, document_id: str, query: PreparedQuery) -> float:
        counts, length = self.frequencies[document_id], self.lengths[document_id]
        total = 0.0
        for word in query.words:
            best = 0.0
            for stem in word.stems:
                tf = counts.get(stem, 0.0)
                if tf:
                    n = self.seen[stem]
                    idf = math.log(1 + (self.total - n + 0.5) / (n + 0.5))
                    norm = tf + K1 * (1 - B + B * length / self.average)
                    best = max(best, idf * tf * (K1 + 1) / norm)
            total += best
        return total


def search(
    documents: Sequence[SearchDocument],
    query: SearchQuery,
    index: ConceptIndex | None = None,
) -> SearchResults:
    """Run ``query`` over ``documents``: results, the requested page, facet counts."""
    prepared = prepare(query.text, query.language, index or packaged_concept_index())
    matched: list[tuple[SearchDocument, Coverage]] = []
    for document in documents:
        coverage = cover(prepared, document, document_terms(document))
        if coverage.matches:
            matched.append((document, coverage))
    facets = count_facets([d for d, _ in matched], query.filters)
    selected = [(d, c) for d, c in matched if passes(d, query.filters)]
    bm25 = _Bm25(documents) if prepared.words else None
    hits = [_hit(d, c, prepared, bm25) for d, c in selected]
    hits.sort(key=_sort_key(query))
    page = tuple(hits[query.offset : query.offset + query.per_page])
    return SearchResults(query, len(hits), page, facets, prepared.concepts)


def _hit(
    document: SearchDocument, coverage: Coverage, query: PreparedQuery, bm25: _Bm25 | None
) -> Hit:
    text = bm25.score(document.id, query) if bm25 else 0.0
    score = text + CONCEPT_WEIGHT * sum(len(m.words) for m in coverage.concepts)
    return Hit(document, round(score, 6), coverage.text_words, coverage.concepts)


_FIELDS: dict[Sort, Callable[[SearchDocument], object]] = {
    Sort.DATE: lambda d: d.start_date,
    Sort.ECTS: lambda d: d.ects,
    Sort.PRICE: lambda d: d.price if d.currency in (None, "EUR") else None,  # EUR, like the filter
}


def _sort_key(query: SearchQuery) -> Callable[[Hit], tuple[object, ...]]:
    sign = -1 if query.descending else 1
    if query.sort is Sort.RELEVANCE:
        return lambda hit: (sign * hit.score, hit.document.id)
    field = _FIELDS[query.sort]

    def key(hit: Hit) -> tuple[object, ...]:
        value = field(hit.document)
        if value is None:
            return (1, 0, hit.document.id)
        number = value.toordinal() if hasattr(value, "toordinal") else Decimal(str(value))
        return (0, sign * number, hit.document.id)

    return key
