"""The fast path against pyld on 100,000 generated documents, sharded over processes.

Each shard builds its own pool of complete micro-credentials (hypothesis seed = shard number,
``--pool`` credentials, written as OB 3.0 and ELM) and checks ``--shard-size`` documents drawn
from it and perturbed, or free documents over every packaged context
(``tests/core/fastrdf_differential.py``). Prints, as shards finish and at the end: documents,
documents/s, CPU seconds per document, how many the fast path answered and how many it
stepped aside on (by its reason), and every divergence with the JSON file holding its document
(``--reproducers``). Exit status 1 if any divergence.

Run: ``PYTHONPATH=src:. nice -n 19 .venv/bin/python bench/differential.py
[--documents 100000] [--processes 2] [--shard-size 2500] [--pool 100] [--first-shard 0]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tests.core.fastrdf_differential import ShardResult, run_shard


def _shard(number: int, size: int, pool: int, reproducers: str) -> tuple[int, ShardResult, float]:
    start = time.process_time()
    result = run_shard(number, size, pool, Path(reproducers))
    return number, result, time.process_time() - start


def _report(documents: int, routes: Counter[str], wall: float, cpu: float) -> str:
    fast = routes["fast"]
    lines = [
        f"{documents} documents in {wall:.0f} s: {documents / max(wall, 1e-9):.1f} documents/s, "
        f"{1000 * cpu / max(documents, 1):.1f} ms CPU per document (pool included); "
        f"fast path {fast} ({100 * fast / max(documents, 1):.1f}%), "
        f"fell back {documents - fast}"
    ]
    lines += [f"  {count:>8}  {route}" for route, count in routes.most_common() if route != "fast"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--shard-size", type=int, default=2500)
    parser.add_argument("--pool", type=int, default=100, help="credentials per shard's pool")
    parser.add_argument("--first-shard", type=int, default=0, help="seed of the first shard")
    parser.add_argument("--reproducers", default="differential-divergences")
    args = parser.parse_args()
    shards = max(1, -(-args.documents // args.shard_size))
    numbers = range(args.first_shard, args.first_shard + shards)
    print(
        f"{shards} shards of {args.shard_size} documents (pools of {args.pool} credentials), "
        f"{args.processes} processes; divergences saved in {args.reproducers}/",
        flush=True,
    )
    start = time.monotonic()
    documents, cpu = 0, 0.0
    routes: Counter[str] = Counter()
    divergences: list[str] = []
    with ProcessPoolExecutor(args.processes) as executor:
        futures = [
            executor.submit(_shard, n, args.shard_size, args.pool, args.reproducers)
            for n in numbers
        ]
        for done, future in enumerate(as_completed(futures), 1):
            number, result, seconds = future.result()
            documents += result.documents
            cpu += seconds
            routes.update(result.routes)
            divergences += result.divergences
            print(
                f"[{time.strftime('%H:%M:%S')}] shard {number} done ({done}/{shards}): "
                f"{result.documents} documents, {len(result.divergences)} divergences; "
                f"total {documents}, {documents / (time.monotonic() - start):.1f} documents/s",
                flush=True,
            )
            for divergence in result.divergences:
                print(f"  DIVERGENCE {divergence}", flush=True)
    print(_report(documents, routes, time.monotonic() - start, cpu))
    print(f"{len(divergences)} divergences" + "".join(f"\n  {d}" for d in divergences))
    sys.exit(1 if divergences else 0)


if __name__ == "__main__":
    main()
