"""Catalogue search latency on SQLite (FTS5) and PostgreSQL (full text) over a generated catalogue.

Generates N published opportunities in four languages (``tests/search_corpus.py``), indexes them
(``services.search.reindex_all``: prints opportunities indexed per second), then runs a mix of
queries through ``services.search.run`` (text, cross-language words, filters, sorts, empty) and
prints p50 / p95 / max per database and round, with the load average (the machine may be
shared) and the process's CPU time, then the first query after publishing one opportunity
(its process patches its bitmaps). Target (issue 12): p95 under 50 ms at 100,000. ``--check``
first compares each query's page with that of one SQL ``ORDER BY ... LIMIT`` (the old way).

    PYTHONPATH=src:. .venv/bin/python bench/search.py --count 100000
    PYTHONPATH=src:. .venv/bin/python bench/search.py --count 20000 --database sqlite --check
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.search_corpus import QUERIES, insert_corpus

from microcred.adapters.db import search_sql
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import parse_search_query, prepare
from microcred.services import esco, search
from microcred.services.context import SYSTEM

PG = os.environ.get("MICROCRED_TEST_POSTGRES_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip
FILTERS = [{}, {"country": "FR"}, {"eqf": "5,6"}, {"isced": "06"}, {"language": "ro"},
           {"country": "RO", "ects_max": "10"}, {"price_max": "300", "sort": "price"},
           {"starts_from": "2026-06-01", "sort": "date"}, {"recognition": "yes"},
           {"nuts": "RO3", "provider_type": "vet"}]  # fmt: skip


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database of ``kind``; dropped (PostgreSQL) or deleted afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"microcred_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def mix(queries: int) -> list[dict[str, str]]:
    """The bench's queries (the same for every run)."""
    rng = random.Random(7)
    return [{"q": rng.choice(QUERIES), "lang": rng.choice(["en", "fr", "ro", "de"]),
             **rng.choice(FILTERS)} for _ in range(queries)]  # fmt: skip


def _round(platform: Platform, kind: str, queries: int, number: int) -> None:
    """The query mix once: wall p50/p95/max, and this process's CPU time (the SQLite engine
    runs in it, so on a shared machine its CPU time moves less than the wall time)."""
    timings, cpu, totals = [], [], []
    load = os.getloadavg()[0]
    with platform.context(SYSTEM) as ctx:
        for params in mix(queries):
            query = parse_search_query(params)
            started, used = time.perf_counter(), time.process_time()
            found = search.run(ctx, query)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            totals.append(found.total)
    timings.sort()
    cpu.sort()
    at = int(len(timings) * 0.95) - 1
    print(f"{kind} round {number}: {queries} queries (median {statistics.median(totals):,.0f} "
          f"results), load average {load:.1f} -> {os.getloadavg()[0]:.1f}: "
          f"p50 {statistics.median(timings):.1f} ms  p95 {timings[at]:.1f} ms  "
          f"max {timings[-1]:.1f} ms; this process's CPU p50 {statistics.median(cpu):.1f} ms "
          f"p95 {cpu[at]:.1f} ms")  # fmt: skip


def run(kind: str, count: int, queries: int, rounds: int = 2, *, check: bool = False) -> None:
    with database(kind) as url, tempfile.TemporaryDirectory() as data:
        platform = Platform(Settings(data_dir=Path(data), database_url=url,
                                     remote_resolution=False))  # fmt: skip
        platform.upgrade()
        with platform.context(SYSTEM) as ctx:
            started = time.perf_counter()
            insert_corpus(ctx.session, count)
            inserted = time.perf_counter() - started
            started = time.perf_counter()
            search.reindex_all(ctx)
            ctx.session.commit()
            indexed = time.perf_counter() - started
        if kind == "postgresql":
            with platform.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
        print(f"{kind}: {count:,} opportunities inserted in {inserted:.1f} s, "
              f"indexed in {indexed:.1f} s ({count / indexed:,.0f}/s)")  # fmt: skip
        with platform.context(SYSTEM) as ctx:  # a new index generation: the bitmaps load
            started = time.perf_counter()
            search.run(ctx, parse_search_query({}))
            print(f"{kind}: first query (loads the facet bitmaps) "
                  f"{(time.perf_counter() - started) * 1000:,.0f} ms")  # fmt: skip
        if check:
            _check(platform, kind, queries)
        for round_number in range(1, rounds + 1):
            _round(platform, kind, queries, round_number)
        with platform.context(SYSTEM) as ctx:  # one opportunity published again: one change
            search.reindex(ctx, 1)
            ctx.session.commit()
        with platform.context(SYSTEM) as ctx:
            started, used = time.perf_counter(), time.process_time()
            search.run(ctx, parse_search_query({}))
            print(f"{kind}: first query after publishing one opportunity (patches the bitmaps) "
                  f"{(time.perf_counter() - started) * 1000:,.0f} ms, CPU "
                  f"{(time.process_time() - used) * 1000:,.0f} ms")  # fmt: skip
        platform.dispose()


def _check(platform: Platform, kind: str, queries: int) -> None:
    """Each query's page as the search answers it against the page of one SQL ``ORDER BY ...
    LIMIT`` over the matches joined with the filters (``search_sql.sql_page``): the same ids,
    order and ranks, or the queries that differ are printed."""
    differ = []
    with platform.context(SYSTEM) as ctx:
        connection = ctx.session.connection()
        for params in mix(queries):
            query = parse_search_query(params)
            prepared = prepare(query.text, query.language, esco.concept_index(ctx))
            got = search_sql.run(connection, query, prepared)
            page = [(int(document["id"]), rank) for document, rank in got.rows]
            if page != search_sql.sql_page(connection, query, prepared):
                differ.append(params)
    print(
        f"{kind}: check: {queries - len(differ)} of {queries} first pages equal to the SQL "
        f"ORDER BY's; differing: {differ or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="opportunities (100000)")
    parser.add_argument("--queries", type=int, default=200, help="queries per database (200)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="times the query mix is run, each reported (2)")  # fmt: skip
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both",
                        help="which database (both)")  # fmt: skip
    parser.add_argument("--check", action="store_true",
                        help="first compare each query's page with one SQL ORDER BY's")  # fmt: skip
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.database in (kind, "both"):
            run(kind, args.count, args.queries, args.rounds, check=args.check)


if __name__ == "__main__":
    main()
