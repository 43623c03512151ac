"""Signing a batch's drafts in this process or in a pool of worker processes (one per core)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Protocol

from microcred.core.keys import KeyPair
from microcred.services.documents import Draft, issue_document

_worker: tuple[KeyPair, str, str] | None = None


class Signer(Protocol):
    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        """Start signing; the returned callable waits for the documents, in order."""
        ...


class InlineSigner:
    """Signs in the calling process."""

    def __init__(self, pair: KeyPair, method: str, suite: str) -> None:
        self._args = (pair, method, suite)

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        texts = [issue_document(d, *self._args) for d in drafts]
        return lambda: texts


def _init(secret: str, method: str, suite: str) -> None:
    global _worker
    _worker = (KeyPair.from_multibase_private(secret), method, suite)


def _sign_one(draft: Draft) -> str:
    assert _worker is not None
    return issue_document(draft, *_worker)


class PoolSigner:
    """Signs across worker processes (spawned: safe next to threads and open connections)."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self._pool = pool
        self._workers = workers

    def submit(self, drafts: list[Draft]) -> Callable[[], list[str]]:
        size = max(1, len(drafts) // (self._workers * 4))
        results = self._pool.map(_sign_one, drafts, chunksize=size)  # submitted at once
        return lambda: list(results)


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
