"""The learner's optional declaration for the uptake statistics (age band, gender): a page of
the wallet and the same as JSON for the learner's own scripts and apps.

``GET /wallet/profile`` shows what it is for and the form; ``POST /wallet/profile`` keeps the
choice, ``POST /wallet/profile/withdraw`` deletes it. ``GET|PUT|DELETE /wallet/declaration``
read, replace and delete it as JSON with the learner's session: PUT takes
``application/json`` only and DELETE has no form equivalent, so a cross-site form cannot send
either (no CORS is offered).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from microcred.core.problems import CODE_OF_STATUS, MEDIA_TYPE, problem_body
from microcred.core.stats import AGE_BANDS, GENDERS
from microcred.services.errors import InvalidInput
from microcred.services.learner import declaration
from microcred.web.web_state import Form, LearnerId, State, Who, field, page, redirect

router = APIRouter(include_in_schema=False)


class DeclarationIn(BaseModel):
    """What the learner declares: a value, or null / ``prefer-not-to-say`` for nothing."""

    model_config = ConfigDict(extra="forbid")
    age_band: str | None = None
    gender: str | None = None


def _out(found: declaration.Declaration) -> dict[str, str | None]:
    return {
        "age_band": found.age_band,
        "gender": found.gender,
        "declared_at": found.declared_at.isoformat() if found.declared_at else None,
        "used_for": "anonymous uptake counts by age band and gender; counts under 5 withheld",
    }


def _problem(status: int, detail: str) -> JSONResponse:
    """415 unsupported-media-type or 422 invalid-input, as the API says them."""
    body = problem_body(status, CODE_OF_STATUS[status], detail)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _page(request: Request, who: Who, state: State, learner: str, status: int = 200,
          error: str = "", done: Literal["", "saved", "withdrawn"] = "") -> Response:  # fmt: skip
    return page(request, who, "learner/profile.html", status, bands=AGE_BANDS, genders=GENDERS,
                declared=declaration.get(state.ctx, learner), error=error, done=done)  # fmt: skip


@router.get("/wallet/profile")
def profile_page(
    request: Request, who: Who, state: State, learner: LearnerId, done: str = ""
) -> Response:
    """The form, with what it is used for (anonymous counts, k = 5)."""
    shown: Literal["", "saved", "withdrawn"] = (
        "saved" if done == "saved" else "withdrawn" if done == "withdrawn" else ""
    )
    return _page(request, who, state, learner, done=shown)


@router.post("/wallet/profile")
def profile_save(
    request: Request, who: Who, state: State, form: Form, learner: LearnerId
) -> Response:
    try:
        declaration.declare(state.ctx, learner, field(form, "age_band", 40) or None,
                            field(form, "gender", 40) or None)  # fmt: skip
    except InvalidInput as exc:
        return _page(request, who, state, learner, 400, error=exc.message)
    return redirect(request, who, "/wallet/profile?done=saved")


@router.post("/wallet/profile/withdraw")
def profile_withdraw(
    request: Request, who: Who, state: State, form: Form, learner: LearnerId
) -> Response:
    declaration.withdraw(state.ctx, learner)
    return redirect(request, who, "/wallet/profile?done=withdrawn")


@router.get("/wallet/declaration")
def declaration_json(state: State, learner: LearnerId) -> Response:
    """JSON: what the learner declared (nulls: nothing)."""
    return JSONResponse(_out(declaration.get(state.ctx, learner)))


@router.put("/wallet/declaration")
async def declaration_put(request: Request, state: State, learner: LearnerId) -> Response:
    """JSON (``application/json`` only): replace the declaration; both null deletes it."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _problem(415, "send application/json")
    try:
        body = DeclarationIn.model_validate_json(await request.body())
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "body"
        return _problem(422, f"{where}: {exc.errors()[0]['msg']}")
    try:
        found = await run_in_threadpool(
            declaration.declare, state.ctx, learner, body.age_band, body.gender
        )
    except InvalidInput as exc:
        return _problem(422, exc.message)
    return JSONResponse(_out(found))


@router.delete("/wallet/declaration")
def declaration_delete(state: State, learner: LearnerId) -> Response:
    """Withdraw: the declaration is deleted (204)."""
    declaration.withdraw(state.ctx, learner)
    return Response(status_code=204)
