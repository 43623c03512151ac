"""The public catalogue of published learning opportunities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import StringConstraints

from microcred.api.deps import Public
from microcred.api.media import LdJson
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id, Limit, Offset
from microcred.schemas.documents import JsonLdDocument
from microcred.schemas.opportunities import CatalogueEntry, CataloguePage
from microcred.schemas.search import SearchPage
from microcred.services import catalogue, catalogue_ctdl, opportunities
from microcred.services import search as search_service
from microcred.services.catalogue import Filters

router = APIRouter(tags=["catalogue"], responses=PROBLEM_RESPONSES)
Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")]
Number = Annotated[float | None, Query(ge=0, le=1000)]


@router.get("/catalogue", summary="Search published opportunities (public)")
def search(
    ctx: Public,
    q: Text = None,
    country: Text = None,
    eqf: Annotated[int | None, Query(ge=1, le=8)] = None,
    ects_min: Number = None,
    ects_max: Number = None,
    isced: Text = None,
    mode: Text = None,
    language: Text = None,
    provider: Text = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> CataloguePage:
    filters = Filters(q, country, eqf, ects_min, ects_max, isced, mode, language, provider)
    rows, total = catalogue.search(ctx, filters, limit, offset)
    items = [CatalogueEntry.listed(ctx, row) for row in rows]
    return CataloguePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/catalogue/export/ctdl", summary="The catalogue and its providers as CTDL JSON-LD",
            response_class=LdJson, response_model=JsonLdDocument)  # fmt: skip
def as_ctdl_catalogue(
    ctx: Public,
    q: Text = None,
    country: Text = None,
    eqf: Annotated[int | None, Query(ge=1, le=8)] = None,
    ects_min: Number = None,
    ects_max: Number = None,
    isced: Text = None,
    mode: Text = None,
    language: Text = None,
    provider: Text = None,
    limit: Annotated[int, Query(ge=1, le=catalogue_ctdl.MAX_EXPORT)] = catalogue_ctdl.MAX_EXPORT,
    offset: Offset = 0,
) -> LdJson:
    filters = Filters(q, country, eqf, ects_min, ects_max, isced, mode, language, provider)
    graph = catalogue_ctdl.ctdl_catalogue(ctx, filters, limit, offset)
    return LdJson(graph)


Code = Annotated[str, StringConstraints(max_length=64)]
Many = Annotated[list[Code] | None, Query(max_length=50, description="repeat or comma-separate")]
One = Annotated[str | None, Query(max_length=300)]


@router.get("/catalogue/search", summary="Full-text, faceted, cross-language search (public)",
            response_model=SearchPage)  # fmt: skip
def full_search(
    request: Request,
    ctx: Public,
    q: One = None,
    lang: One = None,
    country: Many = None,
    nuts: Many = None,
    eqf: Many = None,
    qf_ehea: Many = None,
    isced: Many = None,
    mode: Many = None,
    language: Many = None,
    provider_type: Many = None,
    qa_type: Many = None,
    recognition: One = None,
    ects_min: One = None,
    ects_max: One = None,
    price_min: One = None,
    price_max: One = None,
    starts_from: One = None,
    starts_until: One = None,
    sort: One = None,
    order: One = None,
    page: One = None,
    per_page: One = None,
) -> SearchPage:
    """Every language of every published opportunity is searched; a word also finds courses
    that carry a concept it names (ESCO skill, ISCED-F field, EQF level, language, country)
    in any language. Lists: repeat the parameter or separate values with commas. A bad
    parameter is a 400 problem naming it (``invalid-search-query``)."""
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    results = search_service.search_catalogue(ctx, params)
    return SearchPage.of(results, search_service.hit_views(ctx, results))


@router.get("/catalogue/{opportunity_id}", summary="The latest published version (public)")
def latest(ctx: Public, opportunity_id: Id) -> CatalogueEntry:
    return CatalogueEntry.listed(ctx, opportunities.version(ctx, opportunity_id))


@router.get("/catalogue/{opportunity_id}/versions/{version}", summary="A published version")
def one_version(ctx: Public, opportunity_id: Id, version: Id) -> CatalogueEntry:
    return CatalogueEntry.listed(ctx, opportunities.version(ctx, opportunity_id, version))


@router.get("/catalogue/{opportunity_id}/elm", summary="As an ELM LearningOpportunity",
            response_class=LdJson, response_model=JsonLdDocument)  # fmt: skip
def as_elm(ctx: Public, opportunity_id: Id) -> LdJson:
    row = opportunities.version(ctx, opportunity_id)
    return LdJson(catalogue.elm_opportunity(ctx, row))


@router.get("/catalogue/{opportunity_id}/course", summary="As schema.org Course JSON-LD",
            response_class=LdJson, response_model=JsonLdDocument)  # fmt: skip
def as_course(
    ctx: Public, opportunity_id: Id, lang: Annotated[str, Query(pattern=r"^[a-z]{2,3}$")] = "en"
) -> LdJson:
    row = opportunities.version(ctx, opportunity_id)
    course = catalogue.schema_org_course(ctx, row, lang)
    return LdJson(course)


@router.get("/catalogue/{opportunity_id}/ctdl", summary="As CTDL JSON-LD (Credential Engine)",
            response_class=LdJson, response_model=JsonLdDocument)  # fmt: skip
def as_ctdl(ctx: Public, opportunity_id: Id) -> LdJson:
    row = opportunities.version(ctx, opportunity_id)
    return LdJson(catalogue_ctdl.ctdl_opportunity(ctx, row))
