"""The public catalogue: browse and search published learning opportunities; the home page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.core.i18n import pick
from microcred.core.search.labels import facet_label
from microcred.services import opportunities, search
from microcred.services.context import Units
from microcred.services.learner.facts import annex1_claims, facts
from microcred.web.web_state import IdPath, Who, message, page

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, who: Who) -> Response:
    return page(request, who, "learner/home.html")


def _text(value: Any, lang: str) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    return str(pick(value, lang) or "")


def _credential(row: Any) -> dict[str, Any]:
    data = row.data if isinstance(row.data, dict) else {}
    credential = data.get("credential")
    return credential if isinstance(credential, dict) else {}


CHECKBOX_FACETS = ("country", "eqf", "isced", "language", "mode", "provider_type", "qa_type",
                   "nuts", "qf_ehea")  # fmt: skip
COUNT_FACETS = ("ects", "price", "start")
FORM_FIELDS = (*CHECKBOX_FACETS, "q", "recognition", "ects_min", "ects_max", "price_max", "sort",
               "order", "page")  # fmt: skip


def _search_params(request: Request, language: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name in FORM_FIELDS and value.strip():
            params.setdefault(name, []).append(value[:300])
    params["lang"] = [language]
    return params


def _page_url(params: dict[str, list[str]], page_number: int) -> str:
    kept = {k: v for k, v in params.items() if k not in ("lang", "page")}
    return "/courses?" + urlencode({**kept, "page": [str(page_number)]}, doseq=True)


@router.get("/courses")
def courses(request: Request, who: Who) -> Response:
    """The catalogue's front door: full-text search with facets (a plain GET form, no script)."""
    platform: Units = request.app.state.platform
    params = _search_params(request, who.language)
    chosen = {name: set(values) for name, values in params.items()}
    try:
        with platform.unit_of_work() as ctx:
            results = search.search_catalogue(ctx, params)
            hits = search.hit_views(ctx, results)
    except MicrocredError as exc:
        return page(request, who, "learner/courses.html", 400, hits=[], results=None,
                    chosen=chosen, error=exc.message, facets=CHECKBOX_FACETS,
                    counts=COUNT_FACETS, previous="", next="", concepts=[],
                    label=lambda facet, value: value)  # fmt: skip
    query = results.query
    last = (results.total + query.per_page - 1) // query.per_page
    return page(request, who, "learner/courses.html", hits=hits, results=results, chosen=chosen,
                error="", facets=CHECKBOX_FACETS, counts=COUNT_FACETS,
                concepts=[m.concept.label(who.language) for m in results.concepts],
                label=lambda facet, value: facet_label(facet, value, who.language),
                previous=_page_url(params, query.page - 1) if query.page > 1 else "",
                next=_page_url(params, query.page + 1) if query.page < last else "")  # fmt: skip


@router.get("/courses/{opportunity_id}")
def course(request: Request, who: Who, opportunity_id: IdPath) -> Response:
    platform: Units = request.app.state.platform
    try:
        with platform.unit_of_work() as ctx:
            row = opportunities.version(ctx, opportunity_id)
            credential = _credential(row)
    except MicrocredError:
        return message(request, who, 404, "error.not_found")
    found = facts(annex1_claims(_as_claims(credential)), who.language)
    name = _text(credential.get("title"), who.language)
    return page(request, who, "learner/course.html", title=name, facts=found)


def _as_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The model's field names, as the Annex I claims the facts renderer reads."""
    renames = {"level": "eqf_level", "assessment_types": "assessment_type",
               "participation": "participation_form"}  # fmt: skip
    claims = {renames.get(k, k): v for k, v in credential.items()}
    level = credential.get("level") or {}
    if isinstance(level, dict) and level.get("eqf"):
        claims["eqf_level"] = level["eqf"]
    participation = credential.get("participation")
    if isinstance(participation, dict):
        claims["participation_form"] = [v for v in participation.values() if v]
    return claims
