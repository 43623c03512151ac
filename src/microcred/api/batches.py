"""Batch issuance jobs from CSV or JSON, processed in the background, resumable."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request
from pydantic import BaseModel, Field

from microcred.api.deps import Auth, platform_of
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id
from microcred.core.errors import MicrocredError
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.schemas.credentials import BatchOut
from microcred.services import batches
from microcred.services.batch_input import read_json, read_rows
from microcred.services.bounds import RowId
from microcred.services.context import Actor, Context, Units
from microcred.services.errors import InvalidInput

router = APIRouter(tags=["batches"], responses=PROBLEM_RESPONSES)
BatchId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
Suite = Annotated[str, Query(max_length=40, pattern=r"^[a-z0-9+-]+$")]
Format = Annotated[str, Query(pattern=r"^(ob3|elm)$")]


class BatchIn(BaseModel):
    """Learners as JSON objects {name, email, id, grade, date}."""

    opportunity_id: RowId
    learners: list[dict[str, Any]] = Field(min_length=1, max_length=100_000)
    suite: str = Field(DEFAULT_SUITE, max_length=40)
    format: str = Field("ob3", pattern=r"^(ob3|elm)$")


def _process(platform: Units, actor: Actor, batch_id: str) -> None:
    with suppress(MicrocredError):  # on failure the batch shows it; /resume retries
        platform.start_batch(actor, batch_id)  # here, or as the workers' jobs (PostgreSQL)


def _accepted(ctx: Context, request: Request, tasks: BackgroundTasks, body: BatchOut) -> BatchOut:
    tasks.add_task(_process, platform_of(request), ctx.actor, body.id)
    return body


def _progress(ctx: Context, batch_id: str) -> BatchOut:
    return BatchOut.of(batches.get(ctx, batch_id), batches.errors(ctx, batch_id))


@router.post("/batches", status_code=202, summary="Start a batch from JSON learners")
def create_json(ctx: Auth, body: BatchIn, request: Request,
                tasks: BackgroundTasks) -> BatchOut:  # fmt: skip
    rows = read_json(json.dumps(body.learners))
    batch = batches.create(ctx, body.opportunity_id, rows, body.suite, body.format)
    return _accepted(ctx, request, tasks, _progress(ctx, batch.id))


@router.post("/opportunities/{opportunity_id}/batches", status_code=202,
             summary="Start a batch from a CSV body (text/csv: name,email,id,grade,date)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string"}}}}})  # fmt: skip
async def create_csv(
    ctx: Auth,
    opportunity_id: Id,
    request: Request,
    tasks: BackgroundTasks,
    suite: Suite = DEFAULT_SUITE,
    format: Format = "ob3",
) -> BatchOut:
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the CSV is not UTF-8", field="body") from None
    kind = request.headers.get("content-type", "text/csv")
    batch = batches.create(ctx, opportunity_id, read_rows(text, kind), suite, format)
    return _accepted(ctx, request, tasks, _progress(ctx, batch.id))


@router.get("/batches/{batch_id}", summary="Progress of a batch, with its row errors")
def show(ctx: Auth, batch_id: BatchId) -> BatchOut:
    return _progress(ctx, batch_id)


@router.post("/batches/{batch_id}/resume", status_code=202, summary="Retry what is pending")
def resume(ctx: Auth, batch_id: BatchId, request: Request,
           tasks: BackgroundTasks) -> BatchOut:  # fmt: skip
    ctx.actor.require("issue", batches.get(ctx, batch_id).provider_id)
    return _accepted(ctx, request, tasks, _progress(ctx, batch_id))
