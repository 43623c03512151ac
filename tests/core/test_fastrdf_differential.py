"""Differential test: the fast path and pyld agree on every generated document.

The outcome compared is what a user gets: the canonical N-Quads, or the refusal (error type and
message). CI runs a few hundred examples (``slow``); the full run (>= 100,000 documents) is
``MICROCRED_DIFFERENTIAL_EXAMPLES=100000`` with ``-n auto`` (see bench/README.md).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings

from microcred.core import fastrdf
from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import MicrocredError
from microcred.core.jsonld import expand
from tests.core.fastrdf_documents import documents

EXAMPLES = int(os.environ.get("MICROCRED_DIFFERENTIAL_EXAMPLES", "400"))
SHARDS = int(os.environ.get("MICROCRED_DIFFERENTIAL_SHARDS", "4"))
FAST = PyldCanonicalizer()
REFERENCE = PyldCanonicalizer(fast=False)


def _outcome(canonicalizer: PyldCanonicalizer, document: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("ok", canonicalizer.canonize(document))
    except MicrocredError as exc:
        return ("refused", type(exc).__name__, exc.message)


def _check(document: dict[str, Any]) -> None:
    reference = _outcome(REFERENCE, document)
    assert _outcome(FAST, document) == reference
    try:
        fast = fastrdf.canonize(document, "sha256")
    except fastrdf.Unsupported:
        return
    # the fast path only answers what pyld accepts, and then with pyld's bytes and expansion
    assert reference == ("ok", fast)
    assert fastrdf.expand_document(document) == expand(document)


def _shard(number: int) -> Any:
    @seed(number)
    @settings(
        max_examples=max(1, EXAMPLES // SHARDS),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(documents())
    def run(document: dict[str, Any]) -> None:
        _check(document)

    return run


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_fast_path_and_pyld_agree_on_generated_documents(shard: int) -> None:
    _shard(shard)()
