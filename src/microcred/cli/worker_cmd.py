"""``microcred worker``: run batch chunks queued on PostgreSQL (any number, on any machines)."""

from __future__ import annotations

import argparse
import logging
import sys

from microcred.cli.output import UsageError
from microcred.cli.runtime import platform
from microcred.workers import WorkerOptions, queue_names, run_worker

DEFAULTS = WorkerOptions()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "worker",
        help="run queued batch chunks (PostgreSQL); start as many as you like, on any machines",
        description="Takes batch chunks from the PostgreSQL queue and issues them, signing in "
        "this process: run one worker per core, on as many machines as share the database. "
        "A worker that dies mid-chunk loses nothing: after --stalled-after seconds without "
        "its heartbeat another worker runs its chunk again, and what was stored is not stored "
        "twice. SIGTERM or Ctrl-C finishes the chunks at hand, then stops.",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULTS.concurrency,
        metavar="N",
        help="chunks this process works on at once (default 1; signing uses one "
        "core per process, so add processes, not concurrency, to use more cores)",
    )
    p.add_argument(
        "--queues",
        action="append",
        default=[],
        metavar="NAME[,NAME]",
        help="queues to take jobs from (default: batches, the only one today; "
        "repeat or separate with commas)",
    )
    p.add_argument(
        "--stalled-after",
        type=float,
        default=DEFAULTS.stalled_after,
        metavar="SECONDS",
        help="a worker silent this long is taken as dead and its chunks run again "
        "(default 30; heartbeats go every quarter of it)",
    )
    p.add_argument(
        "--once", action="store_true", help="stop when no job is left instead of waiting for more"
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="what the worker logs on stderr (default info: one line per chunk)",
    )
    p.set_defaults(handler=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if args.stalled_after < 2:
        raise UsageError("--stalled-after must be at least 2 seconds")
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    with platform() as made:
        url = made.settings.effective_database_url
        if not url.startswith("postgresql"):
            raise UsageError(
                "the worker needs PostgreSQL: set MICROCRED_DATABASE_URL="
                "postgresql+psycopg://... (SQLite runs batches in-process)"
            )
        options = WorkerOptions(concurrency=args.concurrency,
                                queues=queue_names(args.queues) or DEFAULTS.queues,
                                stalled_after=args.stalled_after, once=args.once)  # fmt: skip
        run_worker(made, url, options)
    return 0
