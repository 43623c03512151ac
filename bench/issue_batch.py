"""Batch issuance throughput on SQLite or PostgreSQL: signing and storing measured apart.

Creates one batch of N learners (OB 3.0, ``eddsa-rdfc-2022``, two status entries each) and
issues it through the platform's batch service, then prints:

- signing: credentials per second while the signing processes were busy (summed over them);
- storing: credentials per second of the storing transactions (bulk INSERT of the chunk's
  credentials, one UPDATE of its items, one of the batch's counters);
- the whole run's time (creating the batch apart) and its rate end to end.

``--runner inline`` (default) runs the batch in this process with ``--workers`` signing
processes; ``--runner queue`` (PostgreSQL) defers the chunks as procrastinate jobs and starts
``--workers`` ``microcred worker`` processes, as a deployment does.

    PYTHONPATH=. .venv/bin/python bench/issue_batch.py --count 10000 --database sqlite
    PYTHONPATH=. .venv/bin/python bench/issue_batch.py --count 1000000 --database postgresql \\
        --workers 2 --chunk 1000
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.platform.samples import opportunity_in, provider_in

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import batches, opportunities, providers
from microcred.services.batch_chunks import Meter
from microcred.services.batch_input import Row
from microcred.services.context import SYSTEM
from microcred.services.issuance import LearnerIn

PG = os.environ.get("MICROCRED_TEST_POSTGRES_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip


def rows(count: int) -> Iterator[Row]:
    """The learners, made as the batch takes them (a million are never all held at once)."""
    for n in range(count):
        yield Row(n + 2, LearnerIn(name=f"Learner {n}", email=f"l{n}@example.org"), "9")


def create(platform: Platform, count: int) -> tuple[str, float]:
    """A published opportunity and a pending batch of ``count`` learners; seconds taken."""
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in(f"bench-{uuid.uuid4().hex[:8]}"))
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
    learners = rows(count)
    start = time.perf_counter()
    with platform.unit_of_work(SYSTEM) as ctx:
        batch_id = batches.create(ctx, row.id, learners).id
    return batch_id, time.perf_counter() - start


def run_inline(platform: Platform, batch_id: str, workers: int) -> Meter:
    meter = Meter()
    done = batches.run(platform, SYSTEM, batch_id, workers=workers, meter=meter)
    assert done.state == "done", (done.state, done.issued, done.total)
    return meter


CHUNK_LINE = re.compile(r": (\d+) stored; signing ([0-9.]+) s, storing ([0-9.]+) s")


def run_queued(platform: Platform, batch_id: str, workers: int, logs: Path) -> Meter:
    """Defer the chunks, run ``workers`` ``microcred worker`` processes until the batch is
    done; the meter adds up the chunk lines the workers log."""
    settings = platform.settings
    env = {**os.environ, "MICROCRED_DATABASE_URL": settings.effective_database_url,
           "MICROCRED_SECRET_KEY": settings.secret_key, "MICROCRED_PUBLIC_URL":
           settings.public_url, "MICROCRED_DATA_DIR": str(settings.data_dir)}  # fmt: skip
    command = [sys.executable, "-m", "microcred.cli.main", "worker"]
    processes = []
    for number in range(workers):
        with (logs / f"worker-{number}.log").open("wb") as log:
            processes.append(subprocess.Popen(command, env=env, stdout=log,
                                              stderr=subprocess.STDOUT))  # fmt: skip
    try:
        platform.start_batch(SYSTEM, batch_id)
        state = "running"
        while state == "running":
            time.sleep(0.5)
            with platform.context(SYSTEM) as ctx:
                state = batches.get(ctx, batch_id).state
        assert state == "done", state
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)
    meter = Meter(processes=workers)
    for number in range(workers):
        for found in CHUNK_LINE.finditer((logs / f"worker-{number}.log").read_text("utf-8")):
            meter.stored += int(found[1])
            meter.sign_seconds += float(found[2])
            meter.store_seconds += float(found[3])
    meter.store_seconds /= workers  # storing transactions of the workers overlap in time
    return meter


def postgres_database() -> tuple[str, str]:
    name = f"microcred_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG).set(database=name).render_as_string(hide_password=False), name


def drop(name: str) -> None:
    with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="learners in the batch")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="where the batch is stored (postgresql: a database of its own on "
                        "MICROCRED_TEST_POSTGRES_URL's server, dropped at the end)")  # fmt: skip
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="signing processes (inline) or worker processes (queue)",
    )
    parser.add_argument("--chunk", type=int, default=1000, help="credentials per chunk")
    parser.add_argument("--runner", choices=["inline", "queue"], default="inline",
                        help="inline: this process runs the batch; queue: procrastinate jobs "
                        "and `microcred worker` processes (postgresql only)")  # fmt: skip
    return parser.parse_args()


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the signing pool, the
    workers)."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def report(args: argparse.Namespace, made: float, wall: float, meter: Meter | None,
           cpu: tuple[float, float]) -> None:  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.count:,} credentials, {args.database}, runner {args.runner}, "
          f"{args.workers} processes, chunks of {args.chunk}; {os.cpu_count()} cores, "
          f"load average {load}")  # fmt: skip
    print(f"creating the batch      {made:8.1f} s  ({args.count / made:,.0f} items/s)")
    if meter is not None:
        print(
            f"signing                 {meter.signing_rate():8,.0f} credentials/s "
            f"({meter.processes} processes, {meter.sign_seconds:.1f} process-seconds)"
        )
        print(f"storing                 {meter.storing_rate():8,.0f} credentials/s "
              f"({meter.store_seconds:.1f} s in storing transactions)")  # fmt: skip
    print(
        f"whole run               {wall:8.1f} s  ({args.count / wall:,.0f} credentials/s "
        "end to end)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    own, children = (seconds / args.count * 1e6 for seconds in cpu)
    print(f"CPU of the run          {own + children:8,.0f} us per credential: this process "
          f"{own:,.0f}, its children {children:,.0f} (not the database server)")  # fmt: skip
    print(f"peak memory             {peak:8,.0f} MiB (this process)")


def main() -> None:
    args = arguments()
    tmp = Path(tempfile.mkdtemp())
    if args.runner == "queue" and args.database != "postgresql":
        raise SystemExit("--runner queue needs --database postgresql")
    settings = Settings(data_dir=tmp, secret_key="bench", public_url="https://bench.example",
                        batch_chunk=args.chunk, remote_resolution=False,
                        batch_runner=args.runner)  # fmt: skip
    name = ""
    if args.database == "postgresql":
        url, name = postgres_database()
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    platform = Platform(replace(settings, database_url=url))
    try:
        platform.upgrade()
        batch_id, made = create(platform, args.count)
        start, cpu = time.perf_counter(), cpu_seconds()
        if args.runner == "queue":
            meter = run_queued(platform, batch_id, args.workers, tmp)
        else:
            meter = run_inline(platform, batch_id, args.workers)
        wall = time.perf_counter() - start
        (own, children), (own_end, children_end) = cpu, cpu_seconds()
        report(args, made, wall, meter, (own_end - own, children_end - children))
    finally:
        platform.dispose()
        if name:
            drop(name)


if __name__ == "__main__":
    main()
