"""Catalogue search, the pure core: query model, documents, the multilingual concept index, text
normalisation, and the reference engine (matching, BM25, facets) the SQL layer is tested against.

Public API::

    parse_search_query(params) -> SearchQuery          # InvalidSearchQuery names the parameter
    build_document(id, version_data, provider_type=, published=) -> SearchDocument
    SearchDocument.index_texts() -> {lang: {field: "terms ..."}}   # what the FTS index stores
    packaged_concept_index() / build_concept_index(vocab, esco) -> ConceptIndex
    ConceptIndex.match(text) -> (ConceptMatch, ...)
    search(documents, query, index) -> SearchResults(total, hits, facets, concepts)
    explain(hit) -> (Reason, ...); Reason.text(lang)
    highlight(text, query, language) -> Snippet; Snippet.html()
    index_text(text, language) / terms(text, language) / fold(text)
"""

from __future__ import annotations

from microcred.core.search.concepts import (
    Concept,
    ConceptIndex,
    ConceptMatch,
    build_concept_index,
    packaged_concept_index,
)
from microcred.core.search.document import DocumentText, SearchDocument, build_document
from microcred.core.search.engine import Hit, SearchResults, search
from microcred.core.search.explain import Reason, Snippet, explain, highlight
from microcred.core.search.facets import FACETS, FacetValue, count_facets, facet_values, passes
from microcred.core.search.matching import PreparedQuery, cover, prepare
from microcred.core.search.query import Filters, SearchQuery, Sort, parse_search_query
from microcred.core.search.text import fold, index_text, terms

__all__ = [
    "FACETS",
    "Concept",
    "ConceptIndex",
    "ConceptMatch",
    "DocumentText",
    "FacetValue",
    "Filters",
    "Hit",
    "PreparedQuery",
    "Reason",
    "SearchDocument",
    "SearchQuery",
    "SearchResults",
    "Snippet",
    "Sort",
    "build_concept_index",
    "build_document",
    "count_facets",
    "cover",
    "explain",
    "facet_values",
    "fold",
    "highlight",
    "index_text",
    "packaged_concept_index",
    "parse_search_query",
    "passes",
    "prepare",
    "search",
    "terms",
]
