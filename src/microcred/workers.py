"""Batch chunks on PostgreSQL: deferred as procrastinate jobs, run by ``microcred worker``.

Part of the composition root (beside :mod:`microcred.bootstrap`): it wires the task engine
(:mod:`microcred.adapters.task_queue`) to the batch services (:mod:`microcred.services.
batch_queue`). Any number of worker processes, on one machine or many, share the database:
procrastinate hands each job to one of them (``SKIP LOCKED``), retries a failed one, and a
periodic job puts back the jobs of a worker that stopped sending heartbeats (killed, or its
machine lost), so another worker runs them again; the chunk's idempotency keys make that safe.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext

from microcred.adapters.task_queue import (
    BATCH_CHUNK_TASK,
    BATCH_QUEUE,
    RETRY_STALLED_TASK,
    defer_in,
    live_workers,
    new_app,
)
from microcred.services import batch_queue
from microcred.services.batch_chunks import Meter, Work
from microcred.services.batch_queue import Range
from microcred.services.context import Actor, Role

WORKER = Actor("worker", Role.PLATFORM_ADMIN)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerOptions:
    """How one ``microcred worker`` process runs (see its ``--help``)."""

    concurrency: int = 1  # jobs at once in this process
    queues: tuple[str, ...] = (BATCH_QUEUE,)
    stalled_after: float = 30.0  # seconds without a heartbeat before a worker's jobs go back
    once: bool = False  # stop when no job is left (tests, one-off runs)
    name: str = "microcred-worker"


def defer_batch(work: Work, database_url: str, actor: Actor, batch_id: str) -> int:
    """Split the batch into chunk jobs and defer them, in one transaction; how many jobs."""
    app = new_app(database_url)
    with work.unit_of_work(actor) as ctx:
        ranges = batch_queue.dispatch(ctx, batch_id)
        jobs = ({"batch_id": r.batch_id, "first": r.first, "last": r.last} for r in ranges)
        return defer_in(ctx.session, app, BATCH_CHUNK_TASK, jobs)


def workers_alive(work: Work, within: float = 60.0) -> int:
    """How many workers sent a heartbeat in the last ``within`` seconds."""
    with work.unit_of_work() as ctx:
        return live_workers(ctx.session, within)


def worker_app(work: Work, database_url: str, options: WorkerOptions) -> procrastinate.App:
    """The app a worker runs: the chunk task, and the periodic recovery of stalled jobs."""
    app = new_app(database_url)
    retry = procrastinate.RetryStrategy(max_attempts=10, wait=2, linear_wait=2)

    @app.task(name=BATCH_CHUNK_TASK, queue=BATCH_QUEUE, retry=retry)
    def batch_chunk(batch_id: str, first: int, last: int) -> int:
        meter = Meter()
        stored = batch_queue.run_chunk(work, WORKER, Range(batch_id, first, last), meter)
        log.info("batch %s lines %d-%d: %d stored; signing %.3f s, storing %.3f s", batch_id,
                 first, last, stored, meter.sign_seconds, meter.store_seconds)  # fmt: skip
        return stored

    every = max(1, min(59, int(options.stalled_after / 2)))

    @app.periodic(cron=f"* * * * * */{every}")
    @app.task(name=RETRY_STALLED_TASK, queue=BATCH_QUEUE, queueing_lock=RETRY_STALLED_TASK,
              pass_context=True)  # fmt: skip
    async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
        return await retry_stalled(context.app, options.stalled_after)

    del batch_chunk, retry_stalled_jobs  # registered on the app
    return app


async def retry_stalled(app: procrastinate.App, stalled_after: float) -> int:
    """Put back the jobs of workers silent for ``stalled_after`` seconds; how many."""
    manager = app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
    for job in stalled:
        if job.task_name == RETRY_STALLED_TASK:
            continue
        log.warning("job %s (%s %s) was left by a stalled worker: retried", job.id,
                    job.task_name, job.task_kwargs)  # fmt: skip
        await manager.retry_job(job)
    return len(stalled)


def run_worker(work: Work, database_url: str, options: WorkerOptions) -> None:
    """Run a worker in this process until it is stopped (SIGINT/SIGTERM: finishes the jobs at
    hand first) or, with ``once``, until no job is left."""
    app = worker_app(work, database_url, options)
    arguments: dict[str, Any] = {
        "queues": list(options.queues),
        "concurrency": options.concurrency,
        "name": options.name,
        "wait": not options.once,
        "update_heartbeat_interval": max(0.5, options.stalled_after / 4),
        "stalled_worker_timeout": options.stalled_after,
        "install_signal_handlers": not options.once,
    }
    app.run_worker(**arguments)


def queue_names(values: Iterable[str]) -> tuple[str, ...]:
    """Queue names from ``--queues a,b`` options (empty entries dropped)."""
    return tuple(name for value in values for name in value.split(",") if name.strip())
