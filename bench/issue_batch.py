"""Batch issuance throughput (credentials per second) on SQLite and PostgreSQL.

Runs the platform's batch service end to end (CSV rows -> OB 3.0 + eddsa-rdfc-2022 with two
status entries each -> stored verbatim) with one signing process and with one per core, and
prints the rate beside a reference measured in the same run: ``sign_document`` alone on the
same credential in one process (the core's ceiling for a single core).

    PYTHONPATH=. .venv/bin/python bench/issue_batch.py --count 2000
    MICROCRED_TEST_POSTGRES_URL=postgresql+psycopg://... PYTHONPATH=. .venv/bin/python bench/...
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.platform.samples import opportunity_in, provider_in

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.keys import KeyPair
from microcred.core.proofs.data_integrity import sign_document
from microcred.services import batches, opportunities, providers
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM
from microcred.services.documents import Draft, unsigned

PG = os.environ.get("MICROCRED_TEST_POSTGRES_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip


def reference(count: int, description: dict[str, object]) -> float:
    """sign_document alone, one process: credentials per second."""
    pair = KeyPair.generate()
    now = datetime.now(UTC)
    drafts = [Draft(str(uuid.uuid4()), description, {"full_name": f"L{n}"}, "9", now,
                    pair.public.did_key, ("https://x/r", "https://x/s"), n, now)
              for n in range(count)]  # fmt: skip
    start = time.perf_counter()
    for draft in drafts:
        sign_document(unsigned(draft), pair, pair.public.did_key_vm, created=now)
    return count / (time.perf_counter() - start)


def run_once(settings: Settings, count: int, workers: int) -> tuple[float, dict[str, object]]:
    platform = Platform(replace(settings, batch_workers=workers, batch_chunk=200))
    platform.upgrade()
    rows = "\n".join(f"Learner {n},l{n}-{workers}@example.org,9" for n in range(count))
    with platform.context(SYSTEM) as ctx:
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        provider = providers.register(ctx, provider_in(slug))
        row = opportunities.create(ctx, provider.id, opportunity_in())
        version = opportunities.publish(ctx, row.id)
        batch = batches.create(ctx, row.id, read_csv("name,email,grade\n" + rows))
        start = time.perf_counter()
        done = batches.run(ctx, batch.id)
        elapsed = time.perf_counter() - start
        assert done.issued == count, done.issued
    platform.dispose()
    return count / elapsed, version.data["credential"]


def postgres_database() -> tuple[str, str]:
    name = f"microcred_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG).set(database=name).render_as_string(hide_password=False), name


def drop(name: str) -> None:
    with create_engine(PG, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    base = Settings(data_dir=tmp, secret_key="bench", public_url="https://bench.example")
    pg_url, pg_name = postgres_database()
    results: list[tuple[str, int, float, float]] = []
    try:
        for label, url in (("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}"), ("postgres", pg_url)):
            for workers in (1, os.cpu_count() or 1):
                rate, description = run_once(replace(base, database_url=url), args.count, workers)
                ref = reference(min(args.count, 300), description)  # same moment, same load
                results.append((label, workers, rate, ref))
    finally:
        drop(pg_name)
    print(f"{args.count:,} credentials per batch; reference = sign_document alone, 1 process,")
    print("measured right after each batch")
    print(f"{'database':<10} {'processes':>9} {'issued/s':>9} {'reference/s':>11} {'ratio':>6}")
    for label, workers, rate, ref in results:
        print(f"{label:<10} {workers:>9} {rate:>9,.0f} {ref:>11,.0f} {rate / ref:>6.2f}")


if __name__ == "__main__":
    main()
