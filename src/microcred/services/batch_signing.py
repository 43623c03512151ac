"""Signing a batch's drafts in this process or in a pool of worker processes (one per core).

Each signer counts the seconds its processes spent signing (``busy``), so a run can report a
signing rate apart from the storing rate.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Protocol

from microcred.core.keys import KeyPair
from microcred.services.documents import Draft, issue_documents

_worker: tuple[KeyPair, str, str] | None = None


class Signer(Protocol):
    processes: int
    busy: float  # seconds spent signing, summed over the signing processes

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        """Start signing; the returned callable waits for the documents, in order."""
        ...


class InlineSigner:
    """Signs in the calling process."""

    processes = 1

    def __init__(self, pair: KeyPair, method: str, suite: str) -> None:
        self._args = (pair, method, suite)
        self.busy = 0.0

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        start = time.perf_counter()
        texts = issue_documents(drafts, *self._args)
        self.busy += time.perf_counter() - start
        return lambda: texts


def _init(secret: str, method: str, suite: str) -> None:
    global _worker
    _worker = (KeyPair.from_multibase_private(secret), method, suite)


def _sign_slice(drafts: list[Draft]) -> tuple[list[str], float]:
    assert _worker is not None
    start = time.perf_counter()
    texts = issue_documents(drafts, *_worker)
    return texts, time.perf_counter() - start


class PoolSigner:
    """Signs across worker processes (spawned: safe next to threads and open connections);
    each chunk goes out as one slice per process (one round trip each, not one per draft)."""

    def __init__(self, pool: ProcessPoolExecutor, processes: int) -> None:
        self._pool = pool
        self.processes = processes
        self.busy = 0.0

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        size = -(-len(drafts) // self.processes) or 1
        futures: list[Future[tuple[list[str], float]]] = [
            self._pool.submit(_sign_slice, drafts[at : at + size])
            for at in range(0, len(drafts), size)
        ]

        out: list[str] = []

        def texts() -> list[str]:
            while futures:  # collected once; a second call returns the same documents
                part, seconds = futures.pop(0).result()
                out.extend(part)
                self.busy += seconds
            return out

        return texts


@contextmanager
def open_signer(pair: KeyPair, method: str, suite: str, workers: int) -> Iterator[Signer]:
    """A signer with ``workers`` processes (0 = one per core, 1 = in this process)."""
    count = workers or os.cpu_count() or 1
    if count <= 1:
        yield InlineSigner(pair, method, suite)
        return
    context = multiprocessing.get_context("spawn")
    secret = pair.to_multibase_private()
    with ProcessPoolExecutor(count, mp_context=context, initializer=_init,
                             initargs=(secret, method, suite)) as pool:  # fmt: skip
        yield PoolSigner(pool, count)
