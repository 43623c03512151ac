"""A batch as queued chunks: the jobs a task engine's workers run, one line range each.

``dispatch`` splits a batch's pending items into line ranges of ``batch_chunk`` items (the
caller defers one job per range). ``run_chunk`` is what a worker does with one range: reserve,
sign in its own process, store, the same steps as an in-process run (:mod:`batch_chunks`), so a
retried or duplicated job is a no-op: the items it finds issued are skipped, and a credential
stored by another worker meanwhile makes its store keep nothing (unique idempotency key). The
chunk that completes the batch marks it done, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from microcred.adapters.db.tables import Batch, BatchItem, Provider
from microcred.core.keys import KeyPair
from microcred.services import audit, batch_chunks, signing_keys
from microcred.services.batch_chunks import MAX_PASSES, Job, Meter, Work
from microcred.services.batch_signing import InlineSigner
from microcred.services.context import Actor, Context
from microcred.services.documents import key_types_for
from microcred.services.errors import Conflict


@dataclass(frozen=True)
class Range:
    """Lines ``first`` to ``last`` (inclusive) of a batch: one queued job."""

    batch_id: str
    first: int
    last: int


def dispatch(ctx: Context, batch_id: str) -> list[Range]:
    """The ranges of the batch's pending items, ``ctx.batch_chunk`` items each; the batch is
    marked running (a batch with nothing pending is finished instead)."""
    batch = ctx.session.get(Batch, batch_id)
    if batch is None:
        raise Conflict(f"no batch {batch_id}")
    ctx.actor.require("issue", batch.provider_id)
    query = select(BatchItem.line).where(BatchItem.batch_id == batch_id,
                                         BatchItem.state == "pending")  # fmt: skip
    lines = list(ctx.session.scalars(query.order_by(BatchItem.line)))
    size = max(1, ctx.batch_chunk)
    ranges = [Range(batch_id, lines[at], lines[min(at + size, len(lines)) - 1])
              for at in range(0, len(lines), size)]  # fmt: skip
    batch.state, batch.updated_at = "running", ctx.now()
    batch.lease_owner = batch.lease_until = None
    ctx.session.flush()
    if not ranges:
        finish_if_complete(ctx, batch_id)
    return ranges


@dataclass(frozen=True)
class Signing:
    """The key a worker signs a batch's chunk with (read once per chunk)."""

    key_id: int
    pair: KeyPair
    method: str
    suite: str


def _signing(ctx: Context, batch_id: str) -> Signing | None:
    batch = ctx.session.get(Batch, batch_id)
    if batch is None or batch.state in ("done", "failed"):
        return None  # deleted or finished meanwhile: nothing to do
    provider = ctx.session.get(Provider, batch.provider_id)
    assert provider is not None
    key = signing_keys.active_key(ctx, provider.id, key_types_for(batch.suite))
    method = signing_keys.verification_method(ctx, provider.slug, key)
    return Signing(key.id, signing_keys.key_pair(ctx, key), method, batch.suite)


def run_chunk(work: Work, actor: Actor, chunk: Range, meter: Meter | None = None) -> int:
    """Issue the pending items of one range, signing in this process; how many were stored.

    Background work (a worker's job): its own units of work. Safe to run twice, at once or
    after a crash: what is already issued is skipped, nothing is stored twice.
    """
    with work.unit_of_work(actor) as ctx:
        signing = _signing(ctx, chunk.batch_id)
    if signing is None:
        return 0
    signer = InlineSigner(signing.pair, signing.method, signing.suite)
    job = Job(work, actor, chunk.batch_id, signing.key_id, "", signer, meter or Meter())
    before, cursor, clashes = job.meter.stored, chunk.first - 1, 0
    while True:
        prepared = batch_chunks.prepare(job, cursor, chunk.last)
        if prepared is None:
            break
        if batch_chunks.store(job, prepared, None):
            cursor = prepared.last_line
            continue
        clashes += 1  # another run stored some first: read again, they are issued now
        if clashes >= MAX_PASSES:
            raise Conflict(f"batch {chunk.batch_id} lines {chunk.first}-{chunk.last} keep "
                           "clashing with another run; the job is retried")  # fmt: skip
    job.meter.sign_seconds += signer.busy
    with work.unit_of_work(actor) as ctx:
        finish_if_complete(ctx, chunk.batch_id)
    return job.meter.stored - before


def finish_if_complete(ctx: Context, batch_id: str) -> bool:
    """Mark the batch done when every item is issued or in error; True for the one caller
    that did (workers finishing the last chunks at once record it once)."""
    done = (
        update(Batch)
        .where(Batch.id == batch_id, Batch.state != "done",
               Batch.issued + Batch.failed >= Batch.total)
        .values(state="done", updated_at=ctx.now())
        .returning(Batch.provider_id, Batch.issued, Batch.failed)
    )  # fmt: skip
    row = ctx.session.execute(done).one_or_none()
    if row is None:
        return False
    audit.record(ctx, "batch.finish", "batch", batch_id, provider_id=row[0],
                 detail={"issued": row[1], "errors": row[2]})  # fmt: skip
    return True
