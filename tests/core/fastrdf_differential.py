"""One document's differential check, and a shard of them: the fast path against pyld.

pyld is the reference, run once per document: its outcome (canonical N-Quads or refusal) and
its expansion (kept by :func:`microcred.core.jsonld.shared_expansions` from the same run, not
recomputed). When the fast path answers, its canonical form and expansion must be pyld's and
the canonicaliser must return that answer; when it steps aside (counted, with its reason) the
canonicaliser runs pyld, the reference itself, so there is nothing to compare and pyld is not
run twice for it. Used by
``tests/core/test_fastrdf_differential.py`` (CI, a few hundred documents) and
``bench/differential.py`` (the full run, sharded over processes).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from microcred.core import fastrdf
from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import MicrocredError
from microcred.core.jsonld import expansion, shared_expansions
from tests.core.fastrdf_documents import credential_pool, documents

FAST = PyldCanonicalizer()
REFERENCE = PyldCanonicalizer(fast=False)
# pyld's context processing is already done once per process: the shared loader keeps its
# resolved contexts and their processed forms (measured 2026-12-06: term definitions, scoped
# context keys and the copy of the input are under a tenth of pyld's time; the rest is expanding
# the document itself, converting it to RDF and canonicalising, which is the reference's work).


class Divergence(AssertionError):
    """The fast path's answer is not pyld's."""


def _outcome(canonicalizer: PyldCanonicalizer, document: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("ok", canonicalizer.canonize(document))
    except MicrocredError as exc:
        return ("refused", type(exc).__name__, exc.message)


def check(document: dict[str, Any]) -> str:
    """Compare the fast path with pyld on ``document``; the route taken (``fast`` or
    ``fallback: <reason>``, the fast path's own words), or :class:`Divergence`."""
    try:
        fast: str | None = fastrdf.canonize(document, "sha256")
        route = "fast"
    except fastrdf.Unsupported as exc:
        fast, route = None, f"fallback: {exc.reason}"
    except Exception as exc:  # the canonicaliser steps aside to pyld on these too
        fast, route = None, f"fallback: fast path error {type(exc).__name__}"
    if fast is None:  # the canonicaliser runs pyld, the reference itself: nothing to compare
        return route
    with shared_expansions():
        reference = _outcome(REFERENCE, document)
        # pyld's expansion from the reference run above (kept for this JSON), not a second one
        pyld_expansion = expansion(document, try_fast=False).nodes
    if reference != ("ok", fast):
        raise Divergence(f"fast path answered {fast!r}, pyld {reference!r}")
    if fastrdf.expand_document(document) != pyld_expansion:
        raise Divergence("fast path's expansion is not pyld's")
    if _outcome(FAST, document) != reference:
        raise Divergence("the canonicaliser's answer is not the fast path's")
    return route


@dataclass
class ShardResult:
    """What one shard checked: documents, routes (fast or fallback reason), divergences."""

    documents: int = 0
    routes: Counter[str] = field(default_factory=Counter)
    divergences: list[str] = field(default_factory=list)


def run_shard(
    number: int, examples: int, pool_size: int, reproducers: Path | None = None
) -> ShardResult:
    """Check ``examples`` documents drawn with hypothesis seed ``number`` from a pool of
    ``pool_size`` credentials (OB 3.0 and ELM each) and free documents.

    Without ``reproducers`` the first divergence fails (hypothesis shrinks it); with a folder,
    each divergent document is written there as JSON and the shard goes on.
    """
    pool = credential_pool(number, pool_size)
    result = ShardResult()

    @seed(number)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate] if reproducers is not None else list(Phase),
        suppress_health_check=list(HealthCheck),
    )
    @given(documents(pool))
    def run(document: dict[str, Any]) -> None:
        try:
            route = check(document)
        except Divergence as exc:
            if reproducers is None:
                raise
            result.divergences.append(_save(reproducers, number, document, exc))
            return
        result.documents += 1
        result.routes[route] += 1

    run()
    return result


def _save(folder: Path, number: int, document: dict[str, Any], exc: Divergence) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"divergence-shard{number}-{len(list(folder.iterdir()))}.json"
    text = json.dumps({"divergence": str(exc), "document": document}, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    return f"{exc} (reproducer: {path})"
