"""Batch issuance jobs: resumable after a crash, no duplicates, bad rows reported by line.

``create`` works in the caller's unit of work. A run is background work with units of work of
its own (:mod:`batch_chunks`): it holds a lease on its batch; resuming is running again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from microcred.adapters.db.tables import (
    Batch,
    BatchItem,
    Provider,
)
from microcred.core.keys import KeyPair
from microcred.core.proofs.jades import JADES
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.services import audit, batch_chunks, opportunities, signing_keys
from microcred.services.batch_chunks import LEASE, Job, Meter, Progress, Work
from microcred.services.batch_input import Row
from microcred.services.batch_signing import open_signer
from microcred.services.context import SYSTEM, Actor, Context
from microcred.services.documents import check_format, key_types_for
from microcred.services.errors import Conflict, InvalidInput, NotFound
from microcred.services.issuance import idempotency_key


def create(ctx: Context, opportunity_id: int, rows: Iterable[Row], suite: str = DEFAULT_SUITE,
           fmt: str = "ob3", version: int | None = None) -> Batch:  # fmt: skip
    """A pending job with one item per row (unreadable rows are stored as errors).

    ``rows``: a list (taken in line order), or any iterable yielding them in line order (a
    million learners are streamed in slices, never all held at once).
    """
    found = opportunities.version(ctx, opportunity_id, version)
    ctx.actor.require("issue", found.provider_id)
    key_types_for(suite)
    check_format(fmt)
    if suite == JADES:
        raise InvalidInput("sealed EDCs (jades) are issued one at a time, not in batches",
                           field="suite")  # fmt: skip
    ordered = iter(sorted(rows, key=lambda r: r.line) if isinstance(rows, Sequence) else rows)
    first = next(ordered, None)
    if first is None:
        raise InvalidInput("the batch has no learners", field="file")
    now = ctx.now()
    batch = Batch(id=ctx.new_id(), provider_id=found.provider_id, opportunity_version_id=found.id,
                  suite=suite, format=fmt, state="pending", total=0, issued=0,
                  failed=0, created_by=ctx.actor.name, created_at=now,
                  updated_at=now)  # fmt: skip
    ctx.session.add(batch)
    ctx.session.flush()
    items = _Items(batch.id, opportunity_id)
    for part in _slices(itertools.chain([first], ordered), INSERT_SLICE):
        ctx.session.execute(insert(BatchItem), items.of(part))  # multi-row INSERTs
    batch.total, batch.failed = items.total, items.failed
    audit.record(ctx, "batch.create", "batch", batch.id, provider_id=batch.provider_id,
                 detail={"rows": items.total, "opportunity": opportunity_id})  # fmt: skip
    ctx.session.flush()
    return batch


INSERT_SLICE = 10_000  # items built and inserted at a time


def _slices(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while part := list(itertools.islice(rows, size)):
        yield part


class _Items:
    """One item per row; a later row for a learner already in the batch is an error."""

    def __init__(self, batch_id: str, opportunity_id: int) -> None:
        self.batch_id, self.opportunity_id = batch_id, opportunity_id
        self.seen: dict[str, int] = {}
        self.total = self.failed = 0

    def of(self, rows: list[Row]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for row in rows:
            learner, error = row.learner, row.error
            key = idempotency_key(self.opportunity_id, learner) if learner else ""
            if learner and not error:
                if key in self.seen:
                    error = f"same learner as line {self.seen[key]}"
                else:
                    self.seen[key] = row.line
            items.append({
                "batch_id": self.batch_id, "line": row.line,
                "learner": learner.model_dump(exclude_none=True) if learner else {},
                "grade": row.grade, "achieved": row.date.isoformat() if row.date else None,
                "idempotency_key": key, "state": "error" if error else "pending",
                "error": error, "credential_id": None,
            })  # fmt: skip
            self.failed += bool(error)
        self.total += len(rows)
        return items


def get(ctx: Context, batch_id: str) -> Batch:
    batch = ctx.session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    ctx.actor.require("read", batch.provider_id)
    return batch


def _take_lease(ctx: Context, batch: Batch, owner: str, takeover: bool) -> None:
    now = ctx.now()
    free = or_(Batch.lease_owner.is_(None), Batch.lease_until.is_(None),
               Batch.lease_owner == owner, Batch.lease_until < now)  # fmt: skip
    query = update(Batch).where(Batch.id == batch.id)
    if not takeover:
        query = query.where(free)
    taken = ctx.session.execute(query.values(lease_owner=owner, lease_until=now + LEASE,
                                             state="running")).rowcount  # type: ignore[attr-defined]  # fmt: skip
    if not taken:
        raise Conflict(f"batch {batch.id} is being processed by {batch.lease_owner}")
    ctx.session.refresh(batch)


@dataclass(frozen=True)
class _Start:
    """What the first unit of work of a run found: the lease is ours, the key to sign with."""

    owner: str
    key_id: int
    pair: KeyPair
    method: str
    suite: str
    workers: int


def _start(ctx: Context, batch_id: str, takeover: bool, workers: int | None) -> _Start:
    batch = get(ctx, batch_id)
    ctx.actor.require("issue", batch.provider_id)
    owner = ctx.new_id()
    _take_lease(ctx, batch, owner, takeover)
    provider = ctx.session.get(Provider, batch.provider_id)
    assert provider is not None
    key = signing_keys.active_key(ctx, provider.id, key_types_for(batch.suite))
    method = signing_keys.verification_method(ctx, provider.slug, key)
    wanted = ctx.batch_workers if workers is None else workers
    many = _pending_count(ctx, batch.id) > ctx.batch_chunk
    pair = signing_keys.key_pair(ctx, key)
    return _Start(owner, key.id, pair, method, batch.suite, wanted if many else 1)


def run(work: Work, actor: Actor, batch_id: str, progress: Progress | None = None, *,
        takeover: bool = False, workers: int | None = None,
        meter: Meter | None = None) -> Batch:  # fmt: skip
    """Process every pending item; safe to call again after a crash (resume = retry).

    A run is background work, its own entry point: it opens its units of work through
    ``work`` (take the lease; two per chunk; finish), so call it outside any open one.
    ``workers`` overrides the configured number of signing processes; ``meter`` receives
    what signing and storing cost.
    """
    with work.unit_of_work(actor) as ctx:  # committed: no lock held while the workers start
        start = _start(ctx, batch_id, takeover, workers)
    with open_signer(start.pair, start.method, start.suite, start.workers) as signer:
        job = Job(work, actor, batch_id, start.key_id, start.owner, signer, meter or Meter())
        batch_chunks.process(job, progress)
        job.meter.sign_seconds += signer.busy
        job.meter.processes = signer.processes
    with work.unit_of_work(actor) as ctx:
        return _finish(ctx, batch_id)


def _pending_count(ctx: Context, batch_id: str) -> int:
    return _count(ctx, batch_id, "pending")


def _finish(ctx: Context, batch_id: str) -> Batch:
    batch = get(ctx, batch_id)
    batch.issued = _count(ctx, batch.id, "issued")
    batch.failed = _count(ctx, batch.id, "error")
    batch.state = "done" if batch.issued + batch.failed == batch.total else "failed"
    batch.lease_owner, batch.lease_until, batch.updated_at = None, None, ctx.now()
    audit.record(ctx, "batch.finish", "batch", batch.id, provider_id=batch.provider_id,
                 detail={"issued": batch.issued, "errors": batch.failed})  # fmt: skip
    ctx.session.flush()
    return batch


def _count(ctx: Context, batch_id: str, state: str) -> int:
    query = select(func.count()).where(BatchItem.batch_id == batch_id, BatchItem.state == state)
    return int(ctx.session.scalar(query) or 0)


def errors(ctx: Context, batch_id: str) -> list[dict[str, Any]]:
    """The rows that were not issued, by line."""
    get(ctx, batch_id)
    query = select(BatchItem).where(BatchItem.batch_id == batch_id, BatchItem.state == "error")
    rows = ctx.session.scalars(query.order_by(BatchItem.line))
    return [{"line": r.line, "error": r.error} for r in rows]


def stalled(ctx: Context, states: tuple[str, ...] = ("pending", "running")) -> list[str]:
    """Batches left pending or running by a process that died (no live lease)."""
    now = ctx.now()
    query = select(Batch.id).where(
        Batch.state.in_(states),
        or_(Batch.lease_until.is_(None), Batch.lease_until < now),
        Batch.updated_at < now - LEASE,
    )
    return list(ctx.session.scalars(query))


def resume_stalled(work: Work, actor: Actor = SYSTEM) -> list[str]:
    """Resume every stalled batch (an API process does this when it starts; background work,
    each run in units of work of its own)."""
    with work.unit_of_work(actor) as ctx:
        found = stalled(ctx)
    resumed = []
    for batch_id in found:
        try:
            run(work, actor, batch_id)
        except Conflict:  # another process took it meanwhile
            continue
        resumed.append(batch_id)
    return resumed
