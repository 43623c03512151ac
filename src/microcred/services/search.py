"""Catalogue search: the core's query and explanations over the database's full-text index.

The index follows publication: :func:`reindex` after a version is published (done by
``opportunities.publish``); :func:`reindex_all` rebuilds it (``microcred catalogue reindex``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from microcred.adapters.db import search_sql
from microcred.core.i18n import pick_language
from microcred.core.search import (
    DocumentText,
    FacetValue,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResults,
    cover,
    explain,
    highlight,
    parse_search_query,
    prepare,
)
from microcred.core.search.engine import CONCEPT_WEIGHT
from microcred.core.search.matching import document_terms
from microcred.services import esco
from microcred.services.context import Context

QueryParams = Mapping[str, str | Sequence[str]]


def search_catalogue(ctx: Context, params: QueryParams) -> SearchResults:
    """Published opportunities for query-string-like ``params`` (``InvalidSearchQuery`` names a
    bad parameter): one page of hits with their reasons, the total and the facet counts."""
    return run(ctx, parse_search_query(params))


def run(ctx: Context, query: SearchQuery) -> SearchResults:
    """Run a parsed query on the database's index."""
    prepared = prepare(query.text, query.language, esco.concept_index(ctx))
    page = search_sql.run(ctx.session.connection(), query, prepared)
    hits = []
    for stored, rank in page.rows:
        document = SearchDocument.model_validate(stored)
        terms = _terms(page.generation, document) if prepared.words else frozenset[str]()
        coverage = cover(prepared, document, terms)
        score = rank + CONCEPT_WEIGHT * sum(len(m.words) for m in coverage.concepts)
        hits.append(Hit(document, round(score, 6), coverage.text_words, coverage.concepts))
    facets = {
        facet: tuple(FacetValue(value, count) for value, count in counts)
        for facet, counts in page.facets.items()
    }
    return SearchResults(query, page.total, tuple(hits), facets, prepared.concepts)


_TERMS_KEPT = 4096
_terms_cache: dict[tuple[str, str], frozenset[str]] = {}
_terms_lock = threading.Lock()


def _terms(generation: str, document: SearchDocument) -> frozenset[str]:
    """The document's terms (for a hit's explanation: stemming its texts is most of a page's
    Python time), kept per index generation: a document does not change within one."""
    if not generation:
        return document_terms(document)
    key = (generation, document.id)
    found = _terms_cache.get(key)
    if found is None:
        found = document_terms(document)
        with _terms_lock:
            _terms_cache[key] = found
            while len(_terms_cache) > _TERMS_KEPT:
                del _terms_cache[next(iter(_terms_cache))]
    return found


def reindex(ctx: Context, opportunity_id: int) -> bool:
    """Bring one opportunity's index entry up to date with its latest published version."""
    ctx.session.flush()
    return search_sql.index_opportunity(ctx.session.connection(), opportunity_id,
                                        esco.current(ctx))  # fmt: skip


def reindex_all(ctx: Context) -> int:
    """Rebuild the whole index from the published versions; how many were indexed."""
    ctx.session.flush()
    return search_sql.index_all(ctx.session.connection(), esco.current(ctx))


@dataclass(frozen=True)
class HitView:
    """One result as a person reads it, in one language: what it is and why it matched."""

    opportunity_id: int
    url: str
    title: str
    provider: str
    snippet_html: str  # escaped text with the query's words in <mark>
    reasons: tuple[str, ...]
    score: float
    document: SearchDocument


def _field(texts: Mapping[str, DocumentText], language: str, name: str) -> tuple[str, str]:
    """``(language, text)`` of a field, chosen by the one language rule (``core.i18n.pick``)."""
    values = {lang: text.fields()[name] for lang, text in texts.items()}
    shown = pick_language(values, language)
    return (shown, values[shown]) if shown else (language, "")


def hit_views(ctx: Context, results: SearchResults) -> list[HitView]:
    """The page of ``results`` in the query's language."""
    language, query = results.query.language, results.query.text
    views = []
    for hit in results.hits:
        texts = hit.document.texts
        shown, body = _field(texts, language, "description")
        if not body:
            shown, body = _field(texts, language, "outcomes")
        views.append(HitView(
            opportunity_id=int(hit.document.id),
            url=ctx.site.opportunity_url(int(hit.document.id)),
            title=_field(texts, language, "title")[1],
            provider=_field(texts, language, "provider")[1],
            snippet_html=highlight(body, query, shown).html(),
            reasons=tuple(reason.text(language) for reason in explain(hit, language)),
            score=hit.score, document=hit.document))  # fmt: skip
    return views
