"""Guidance page ``/guide`` (the API is ``GET /guidance``): pick an ESCO occupation, tick the
skills already held, see what fills the gap (a plain GET form, no script; for learners and
guidance counsellors)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.schemas.guidance import GuidanceOut
from microcred.services import esco, guidance
from microcred.web.web_state import State, Who, page

router = APIRouter(include_in_schema=False)
FIELDS = ("occupation", "held", "country", "language", "price_max")


@router.get("/guide")
def guidance_page(request: Request, who: Who, state: State) -> Response:
    """For a signed-in learner, the wallet's valid credentials count as held skills."""
    ctx = state.ctx
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name in FIELDS and value.strip():
            params.setdefault(name, []).append(value[:300])
    params["lang"] = [who.language]
    data = esco.current(ctx)
    occupations = sorted(((o.label(who.language), uri) for uri, o in data.occupations.items()
                          if o.skills), key=lambda item: item[0].casefold())  # fmt: skip
    held = {uri: skill.label(who.language) if (skill := data.skill(uri)) else uri
            for uri in params.get("held", ())}  # fmt: skip
    learner = who.account.id if who.account and who.role == "learner" else None
    evidence = guidance.wallet_evidence(ctx, learner) if learner else []
    found, error, status = None, "", 200
    if "occupation" in params:
        try:
            found = GuidanceOut.of(ctx, guidance.guide(ctx, params, evidence))
        except MicrocredError as exc:
            error, status = exc.message, 400
    return page(request, who, "learner/guidance.html", status, occupations=occupations,
                chosen=params, found=found, error=error, held_labels=held,
                wallet_count=len(evidence) if learner else None)  # fmt: skip
