"""The shape of a search answer, shared by ``GET /catalogue/search`` (its OpenAPI schema) and
``microcred catalogue search --json``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from microcred.core.search import SearchResults
from microcred.core.search.labels import facet_label
from microcred.services.search import HitView


class FacetCount(BaseModel):
    value: str
    label: str  # in the query's language
    count: int


class NamedConcept(BaseModel):
    """A concept the query names (so results in other languages can match)."""

    uri: str
    scheme: str
    label: str
    words: list[str]


class SearchHit(BaseModel):
    id: int
    url: str
    title: str
    provider: str
    snippet_html: str
    reasons: list[str]
    score: float
    country: str | None
    eqf: int | None
    isced: str | None
    ects: Decimal | None
    price: Decimal | None
    currency: str | None
    start_date: date | None
    languages: list[str]

    @classmethod
    def of(cls, view: HitView) -> SearchHit:
        d = view.document
        return cls(id=view.opportunity_id, url=view.url, title=view.title, provider=view.provider,
                   snippet_html=view.snippet_html, reasons=list(view.reasons), score=view.score,
                   country=d.country, eqf=d.eqf, isced=d.isced, ects=d.ects, price=d.price,
                   currency=d.currency, start_date=d.start_date,
                   languages=list(d.languages))  # fmt: skip


class SearchPage(BaseModel):
    """One page of results, the total, every facet's counts and the query as parameters."""

    query: dict[str, list[str]]
    total: int
    page: int
    per_page: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    concepts: list[NamedConcept]

    @classmethod
    def of(cls, results: SearchResults, views: list[HitView]) -> SearchPage:
        q, lang = results.query, results.query.language
        return cls(
            query=q.to_params(), total=results.total, page=q.page, per_page=q.per_page,
            hits=[SearchHit.of(v) for v in views],
            facets={name: [FacetCount(value=f.value, label=facet_label(name, f.value, lang),
                                      count=f.count) for f in values]
                    for name, values in results.facets.items()},
            concepts=[NamedConcept(uri=m.concept.uri, scheme=m.concept.scheme,
                                   label=m.concept.label(lang), words=list(m.words))
                      for m in results.concepts],
        )  # fmt: skip
