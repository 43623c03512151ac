"""The public catalogue: browse and search published learning opportunities; the home page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.adapters.db.tables import Provider
from microcred.core.errors import MicrocredError
from microcred.services import catalogue, opportunities
from microcred.services.learner.facts import annex1_claims, facts
from microcred.services.runtime import Platform
from microcred.web.web_state import Who, message, page

router = APIRouter(include_in_schema=False)
PAGE = 20


@router.get("/")
def home(request: Request, who: Who) -> Response:
    return page(request, who, "learner/home.html")


def _text(value: Any, lang: str) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    return str(value.get(lang) or value.get("en") or next(iter(value.values())))


def _credential(row: Any) -> dict[str, Any]:
    data = row.data if isinstance(row.data, dict) else {}
    credential = data.get("credential")
    return credential if isinstance(credential, dict) else {}


def _entry(ctx: Any, row: Any, lang: str) -> dict[str, Any]:
    credential = _credential(row)
    provider = ctx.session.get(Provider, row.provider_id)
    return {"id": row.opportunity_id, "title": _text(credential.get("title"), lang),
            "description": _text(credential.get("description"), lang),
            "provider": _text(provider.legal_name, lang) if provider else "",
            "eqf": row.eqf, "ects": row.ects}  # fmt: skip


@router.get("/courses")
def courses(request: Request, who: Who, q: str = "", country: str = "", eqf: str = "",
            offset: int = 0) -> Response:  # fmt: skip
    platform: Platform = request.app.state.platform
    filters = catalogue.Filters(text=q[:200] or None, country=country[:3] or None,
                                eqf=int(eqf) if eqf.isdigit() else None)  # fmt: skip
    try:
        with platform.context() as ctx:
            rows, total = catalogue.search(ctx, filters, PAGE, max(0, offset))
            entries = [_entry(ctx, row, who.language) for row in rows]
    except MicrocredError as exc:
        return page(request, who, "learner/courses.html", 400, entries=[], total=0, q=q[:200],
                    country=country[:3], eqf=eqf[:1], offset=0, error=exc.message)  # fmt: skip
    return page(request, who, "learner/courses.html", entries=entries, total=total, q=q[:200],
                country=country[:3], eqf=eqf[:1], offset=max(0, offset), error="")  # fmt: skip


@router.get("/courses/{opportunity_id}")
def course(request: Request, who: Who, opportunity_id: int) -> Response:
    platform: Platform = request.app.state.platform
    try:
        with platform.context() as ctx:
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
