"""Guidance page ``/guide`` (the API is ``GET /guidance``): pick an ESCO occupation, tick the
skills already held, see what fills the gap (a plain GET form, no script; for learners and
guidance counsellors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.services import esco, guidance
from microcred.services.context import Units
from microcred.services.guidance_views import GuidanceOut
from microcred.web.web_state import Who, page

router = APIRouter(include_in_schema=False)
FIELDS = ("occupation", "held", "country", "language", "price_max")


@router.get("/guide")
def guidance_page(request: Request, who: Who) -> Response:
    platform: Units = request.app.state.platform
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name in FIELDS and value.strip():
            params.setdefault(name, []).append(value[:300])
    params["lang"] = [who.language]
    with platform.context() as ctx:
        data = esco.current(ctx)
        occupations = sorted(((o.label(who.language), uri) for uri, o in data.occupations.items()
                              if o.skills), key=lambda item: item[0].casefold())  # fmt: skip
        held = {uri: skill.label(who.language) if (skill := data.skill(uri)) else uri
                for uri in params.get("held", ())}  # fmt: skip
        found, error, status = None, "", 200
        if "occupation" in params:
            try:
                found = GuidanceOut.of(ctx, guidance.guide(ctx, params))
            except MicrocredError as exc:
                error, status = exc.message, 400
    return page(request, who, "learner/guidance.html", status, occupations=occupations,
                chosen=params, found=found, error=error, held_labels=held)  # fmt: skip
