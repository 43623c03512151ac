"""One batch run as a pipeline of chunks: while the workers sign chunk N, chunk N-1 is stored.

Each chunk is two short transactions around the signing: (A) read pending items after a cursor
and reserve status positions, (B) store the credentials and mark the items issued. The unique
idempotency key per provider makes (B) all-or-nothing against a concurrent or repeated run; a
crash between (A) and (B) only leaves unused status positions (bits that stay 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from microcred.adapters.db.tables import (
    Batch,
    BatchItem,
    Credential,
    OpportunityVersion,
    Provider,
    SigningKey,
)
from microcred.services import statuses
from microcred.services.batch_signing import Signer
from microcred.services.context import Context
from microcred.services.documents import Draft
from microcred.services.errors import Conflict
from microcred.services.issuance import IssueIn, credential_row, make_draft

LEASE = timedelta(seconds=30)
MAX_PASSES = 3
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """What stays the same for every chunk of one run."""

    batch: Batch
    provider: Provider
    version: OpportunityVersion
    key: SigningKey
    owner: str
    signer: Signer


@dataclass
class Chunk:
    """Items being issued, their drafts, and the signatures on their way."""

    items: list[BatchItem]
    done: dict[str, str]  # idempotency key -> credential already stored
    todo: list[tuple[BatchItem, IssueIn, Draft, int]]  # item, request, draft, list number
    texts: Callable[[], list[str]]


def _request(batch: Batch, opportunity_id: int, item: BatchItem) -> IssueIn:
    return IssueIn.model_validate({
        "opportunity_id": opportunity_id, "learner": item.learner, "grade": item.grade,
        "date": item.achieved, "suite": batch.suite, "format": batch.format,
    })  # fmt: skip


def _already_issued(ctx: Context, provider_id: int, items: list[BatchItem]) -> dict[str, str]:
    keys = [item.idempotency_key for item in items]
    query = select(Credential.idempotency_key, Credential.id).where(
        Credential.provider_id == provider_id, Credential.idempotency_key.in_(keys)
    )
    return {str(k): str(v) for k, v in ctx.session.execute(query)}


def prepare(ctx: Context, job: Job, after_line: int) -> Chunk | None:
    """(A): the next pending items, status positions reserved, signing submitted."""
    query = select(BatchItem).where(
        BatchItem.batch_id == job.batch.id,
        BatchItem.state == "pending",
        BatchItem.line > after_line,
    )
    items = list(ctx.session.scalars(query.order_by(BatchItem.line).limit(ctx.batch_chunk)))
    if not items:
        ctx.session.commit()
        return None
    done = _already_issued(ctx, job.provider.id, items)
    fresh = [item for item in items if item.idempotency_key not in done]
    places = statuses.allocate(ctx, job.provider.id, len(fresh)) if fresh else []
    ctx.session.commit()  # no transaction stays open while signing
    todo = []
    for item, place in zip(fresh, places, strict=True):
        request = _request(job.batch, job.version.opportunity_id, item)
        draft = make_draft(ctx, job.provider, job.version, request, place, None)
        todo.append((item, request, draft, place[0]))
    return Chunk(items, done, todo, job.signer.submit([t[2] for t in todo]))


def store(ctx: Context, job: Job, chunk: Chunk) -> bool:
    """(B): store the signed credentials; False if another run stored some of them first."""
    for (item, request, draft, number), text in zip(chunk.todo, chunk.texts(), strict=True):
        row = credential_row(draft, request, job.provider.id, job.version.id, job.key,
                             item.idempotency_key, text, number, job.batch.id)  # fmt: skip
        ctx.session.add(row)
        item.state, item.credential_id = "issued", draft.credential_id
    for item in chunk.items:
        if item.idempotency_key in chunk.done:
            item.state, item.credential_id = "issued", chunk.done[item.idempotency_key]
    now = ctx.now()
    job.batch.issued += len(chunk.items)
    job.batch.updated_at, job.batch.lease_owner = now, job.owner
    job.batch.lease_until = now + LEASE
    try:
        ctx.session.commit()
    except IntegrityError:
        ctx.session.rollback()
        return False
    return True


def _one_pass(ctx: Context, job: Job, progress: Progress | None) -> bool:
    """Every pending item once, signing one chunk ahead; True if nothing clashed."""
    cursor, flight, clean = 0, None, True
    while True:
        chunk = prepare(ctx, job, cursor)
        if chunk is not None:
            cursor = chunk.items[-1].line
        if flight is not None:
            clean = store(ctx, job, flight) and clean
            if progress:
                progress(job.batch.issued + job.batch.failed, job.batch.total)
        if chunk is None:
            return clean
        flight = chunk


def process(ctx: Context, job: Job, progress: Progress | None = None) -> None:
    """Issue every pending item of the job's batch (a clash with another run: one more pass)."""
    for _ in range(MAX_PASSES):
        if _one_pass(ctx, job, progress):
            return
        ctx.session.refresh(job.batch)
    raise Conflict(f"batch {job.batch.id} keeps clashing with another run; resume it later")
