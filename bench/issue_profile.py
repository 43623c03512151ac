"""CPU cost of issuing one batch credential, in this process: build, check, sign.

Creates a batch of N learners on a fresh SQLite file through the platform's services, takes the
drafts its first chunk would sign, and issues them (the batch path's ``issue_documents``, or
``issue_document`` per draft with ``--one``): prints CPU microseconds per credential and, with
``--profile``, cProfile's top lines. CPU time, not wall time, so it holds on a shared machine.

    PYTHONPATH=. .venv/bin/python bench/issue_profile.py --count 1000 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.issue_batch import create

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import batch_chunks, batches, documents
from microcred.services.batch_chunks import Job
from microcred.services.context import SYSTEM
from microcred.services.documents import Draft, issue_document


class _Collect:
    """A signer that signs nothing: it keeps the drafts it is given."""

    processes = 1
    busy = 0.0

    def __init__(self) -> None:
        self.drafts: list[Draft] = []

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        self.drafts.extend(drafts)
        return list


def drafts(count: int) -> tuple[list[Draft], tuple[object, str, str]]:
    """The drafts of a batch of ``count`` learners, and (key pair, method, suite)."""
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=tmp, secret_key="bench", public_url="https://bench.example",
                        batch_chunk=count, remote_resolution=False)  # fmt: skip
    platform = Platform(replace(settings, database_url=f"sqlite:///{tmp / 'p.sqlite3'}"))
    platform.upgrade()
    batch_id, _ = create(platform, count)
    with platform.unit_of_work(SYSTEM) as ctx:
        start = batches._start(ctx, batch_id, False, 1)
    collect = _Collect()
    job = Job(platform, SYSTEM, batch_id, start.key_id, start.owner, collect)
    batch_chunks.prepare(job, 0)
    platform.dispose()
    return collect.drafts, (start.pair, start.method, start.suite)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top lines")
    parser.add_argument(
        "--one", action="store_true", help="issue_document per draft, not issue_documents"
    )
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime...)")
    args = parser.parse_args()
    found, (pair, method, suite) = drafts(args.count)
    issue_document(found[0], pair, method, suite)  # warm: contexts loaded, caches filled
    profiler = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    if profiler is not None:
        profiler.enable()
    if args.one:
        for draft in found:
            issue_document(draft, pair, method, suite)
    else:
        documents.issue_documents(found, pair, method, suite)
    if profiler is not None:
        profiler.disable()
    used = time.process_time() - cpu
    print(
        f"{len(found)} credentials, {used / len(found) * 1e6:,.0f} us CPU each "
        f"({len(found) / used:,.0f} per CPU second){' under cProfile' if profiler else ''}"
    )
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
