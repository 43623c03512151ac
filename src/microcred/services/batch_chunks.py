"""One batch run as a pipeline of chunks: while the workers sign chunk N, chunk N-1 is stored.

A run is background work, its own entry point: each chunk is two short units of work (opened
through :class:`Work`, committed there) around the signing: (A) read pending items after a
cursor and reserve status positions, (B) store the credentials and mark the items issued. The
unique idempotency key per provider makes (B) all-or-nothing against a concurrent or repeated
run; a crash between (A) and (B) only leaves unused status positions (bits that stay 0).

(B) costs a few round trips whatever the chunk's size: the credentials in one COPY on
PostgreSQL (a multi-row INSERT on SQLite), the items' UPDATE sent for all items at once, one
UPDATE of the batch's counters (atomic, so workers storing chunks of one batch at once never
lose a count).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from microcred.adapters.db.bulk import insert_rows, update_rows
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
from microcred.services.context import Actor, Context
from microcred.services.documents import Draft
from microcred.services.errors import Conflict
from microcred.services.issuance import IssueIn, credential_values, make_draft

LEASE = timedelta(seconds=30)
MAX_PASSES = 3
Progress = Callable[[int, int], None]


class Work(Protocol):
    """Where background work gets its transactions: one unit of work, committed at its end
    (the composition root's ``Platform``)."""

    def unit_of_work(self, actor: Actor = ...) -> AbstractContextManager[Context]: ...


@dataclass
class Meter:
    """What a run measured: credentials stored and the seconds spent inside the storing units
    of work; seconds spent signing, summed over the signing processes."""

    stored: int = 0
    store_seconds: float = 0.0
    sign_seconds: float = 0.0
    processes: int = 1

    def signing_rate(self) -> float:
        """Credentials signed per second while the signing processes were busy."""
        return self.stored * self.processes / self.sign_seconds if self.sign_seconds else 0.0

    def storing_rate(self) -> float:
        """Credentials stored per second of storing transactions."""
        return self.stored / self.store_seconds if self.store_seconds else 0.0


@dataclass(frozen=True)
class Job:
    """What stays the same for every chunk of one run (rows are read again in each unit).

    ``owner`` is the lease of an in-process run, renewed by every chunk; a queued chunk has
    none (the task engine knows who works on it)."""

    work: Work
    actor: Actor
    batch_id: str
    key_id: int
    owner: str
    signer: Signer
    meter: Meter = field(default_factory=Meter)


@dataclass(frozen=True)
class Parts:
    """The job's rows, as one unit of work reads them."""

    batch: Batch
    provider: Provider
    version: OpportunityVersion
    key: SigningKey


@dataclass
class Chunk:
    """Items being issued (id -> idempotency key), their drafts, and the signatures on their way."""

    items: dict[int, str]
    last_line: int
    done: dict[str, str]  # idempotency key -> credential already stored
    todo: list[tuple[int, IssueIn, Draft, int]]  # item id, request, draft, list number
    texts: Callable[[], list[str]]


def parts(ctx: Context, batch_id: str, key_id: int) -> Parts:
    batch = ctx.session.get(Batch, batch_id)
    assert batch is not None
    provider = ctx.session.get(Provider, batch.provider_id)
    version = ctx.session.get(OpportunityVersion, batch.opportunity_version_id)
    key = ctx.session.get(SigningKey, key_id)
    assert provider is not None
    assert version is not None
    assert key is not None
    return Parts(batch, provider, version, key)


def _request(batch: Batch, opportunity_id: int, item: BatchItem) -> IssueIn:
    return IssueIn.model_validate({
        "opportunity_id": opportunity_id, "learner": item.learner, "grade": item.grade,
        "date": item.achieved, "suite": batch.suite, "format": batch.format,
    })  # fmt: skip


# PostgreSQL: one probe of the unique (provider_id, idempotency_key) index per key, whatever the
# planner's statistics say. ``provider_id = ... AND idempotency_key IN (...)`` was planned as a
# scan of every credential of the provider (filtered by the list) once the table had grown past
# its last ANALYZE: a chunk's check took seconds at 100,000 credentials, growing with each chunk.
_ISSUED_BY_KEY = text(
    "SELECT k.key, (SELECT c.id FROM credentials c WHERE c.provider_id = :provider"
    " AND c.idempotency_key = k.key) FROM unnest(CAST(:keys AS VARCHAR[])) AS k(key)"
)


def _already_issued(ctx: Context, provider_id: int, items: list[BatchItem]) -> dict[str, str]:
    keys = [item.idempotency_key for item in items]
    if ctx.session.get_bind().dialect.name == "postgresql":
        found = ctx.session.execute(_ISSUED_BY_KEY, {"provider": provider_id, "keys": keys})
        return {str(k): str(v) for k, v in found if v is not None}
    query = select(Credential.idempotency_key, Credential.id).where(
        Credential.provider_id == provider_id, Credential.idempotency_key.in_(keys)
    )
    return {str(k): str(v) for k, v in ctx.session.execute(query)}


def _reserve(ctx: Context, job: Job, after_line: int, last_line: int | None) -> Chunk | None:
    """(A) in one unit of work: the next pending items, their status positions, their drafts."""
    found = parts(ctx, job.batch_id, job.key_id)
    query = select(BatchItem).where(
        BatchItem.batch_id == job.batch_id,
        BatchItem.state == "pending",
        BatchItem.line > after_line,
    )
    if last_line is not None:
        query = query.where(BatchItem.line <= last_line)
    items = list(ctx.session.scalars(query.order_by(BatchItem.line).limit(ctx.batch_chunk)))
    if not items:
        return None
    done = _already_issued(ctx, found.provider.id, items)
    fresh = [item for item in items if item.idempotency_key not in done]
    requests = [_request(found.batch, found.version.opportunity_id, item) for item in fresh]
    # last: the provider row stays locked from here to the commit (other chunks wait on it)
    places = statuses.allocate(ctx, found.provider.id, len(fresh)) if fresh else []
    todo = []
    for item, request, place in zip(fresh, requests, places, strict=True):
        draft = make_draft(ctx, found.provider, found.version, request, place, None)
        todo.append((item.id, request, draft, place[0]))
    keys = {item.id: item.idempotency_key for item in items}
    return Chunk(keys, items[-1].line, done, todo, list)  # texts: once submitted


def prepare(job: Job, after_line: int, last_line: int | None = None) -> Chunk | None:
    """(A), committed (no transaction stays open while signing), then signing submitted."""
    with job.work.unit_of_work(job.actor) as ctx:
        chunk = _reserve(ctx, job, after_line, last_line)
    if chunk is not None:
        chunk.texts = job.signer.submit([t[2] for t in chunk.todo])
    return chunk


def _store(ctx: Context, job: Job, chunk: Chunk) -> tuple[int, int]:
    found = parts(ctx, job.batch_id, job.key_id)
    rows = [
        credential_values(draft, request, found.provider.id, found.version.id, found.key,
                          chunk.items[item_id], text, number, job.batch_id)
        for (item_id, request, draft, number), text in zip(chunk.todo, chunk.texts(), strict=True)
    ]  # fmt: skip
    insert_rows(ctx.session, Credential, rows)
    stored = {item_id: draft.credential_id for item_id, _, draft, _ in chunk.todo}
    for item_id, idem in chunk.items.items():
        if idem in chunk.done:
            stored[item_id] = chunk.done[idem]
    changes = [{"id": item_id, "state": "issued", "credential_id": credential_id}
               for item_id, credential_id in stored.items()]  # fmt: skip
    issued = update_rows(ctx.session, BatchItem, "id", changes, {"state": "pending"})
    job.meter.stored += len(rows)
    return count_issued(ctx, job, issued)


def count_issued(ctx: Context, job: Job, issued: int) -> tuple[int, int]:
    """Add ``issued`` to the batch's count (atomically); (done, total) as it now stands."""
    now = ctx.now()
    values: dict[str, Any] = {"issued": Batch.issued + issued, "updated_at": now}
    if job.owner:
        values.update(lease_owner=job.owner, lease_until=now + LEASE)
    query = update(Batch).where(Batch.id == job.batch_id).values(**values)
    done, failed, total = ctx.session.execute(
        query.returning(Batch.issued, Batch.failed, Batch.total)
    ).one()
    return int(done) + int(failed), int(total)


def store(job: Job, chunk: Chunk, progress: Progress | None) -> bool:
    """(B) in one unit of work: store the signed credentials; False if another run stored
    some of them first (nothing of the chunk is kept then)."""
    chunk.texts()  # signing ends before the transaction starts
    start = time.perf_counter()
    try:
        with job.work.unit_of_work(job.actor) as ctx:
            counted = _store(ctx, job, chunk)
    except IntegrityError:
        return False
    job.meter.store_seconds += time.perf_counter() - start
    if progress:
        progress(*counted)
    return True


def _one_pass(job: Job, progress: Progress | None) -> bool:
    """Every pending item once, signing one chunk ahead; True if nothing clashed."""
    cursor, flight, clean = 0, None, True
    while True:
        chunk = prepare(job, cursor)
        if chunk is not None:
            cursor = chunk.last_line
        if flight is not None:
            clean = store(job, flight, progress) and clean
        if chunk is None:
            return clean
        flight = chunk


def process(job: Job, progress: Progress | None = None) -> None:
    """Issue every pending item of the job's batch (a clash with another run: one more pass)."""
    for _ in range(MAX_PASSES):
        if _one_pass(job, progress):
            return
    raise Conflict(f"batch {job.batch_id} keeps clashing with another run; resume it later")
