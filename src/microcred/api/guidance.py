"""Guidance on skill gaps (public): what is missing for an occupation or a set of skills, and the
published opportunities that fill the gap best, with reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import StringConstraints

from microcred.api.deps import Public
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.schemas.guidance import GuidanceOut
from microcred.services import guidance

router = APIRouter(tags=["guidance"], responses=PROBLEM_RESPONSES)
One = Annotated[str | None, Query(max_length=300)]
Uri = Annotated[str, StringConstraints(max_length=300)]
Many = Annotated[list[Uri] | None, Query(max_length=200, description="repeat or comma-separate")]


@router.get("/guidance", summary="Skill gap and suggested opportunities (public)",
            response_model=GuidanceOut)  # fmt: skip
def gap_and_suggestions(
    request: Request,
    ctx: Public,
    occupation: One = None,
    skills: Many = None,
    held: Many = None,
    level: One = None,
    lang: One = None,
    country: Many = None,
    language: Many = None,
    mode: Many = None,
    price_max: One = None,
    starts_from: One = None,
    starts_until: One = None,
    per_page: One = None,
) -> GuidanceOut:
    """The target is ``occupation`` (an ESCO occupation URI: essential skills weigh 1, optional
    0.5) or ``skills`` (ESCO skill URIs). ``held`` lists the skills the learner already has,
    ``level`` their EQF level; the other parameters are the catalogue's hard filters. A bad
    parameter is a 400 problem naming it (``invalid-guidance-target``, ``invalid-search-query``)."""
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return GuidanceOut.of(ctx, guidance.guide(ctx, params))
