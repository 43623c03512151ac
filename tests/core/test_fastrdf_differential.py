"""Differential test: the fast path and pyld agree on every generated document.

The outcome compared is what a user gets: the canonical N-Quads, or the refusal (error type and
message); see ``tests/core/fastrdf_differential.py``. CI runs a few hundred documents (``slow``);
the full run (100,000 documents) is ``bench/differential.py`` (see bench/README.md).
"""

from __future__ import annotations

import os

import pytest

from tests.core.fastrdf_differential import run_shard

EXAMPLES = int(os.environ.get("MICROCRED_DIFFERENTIAL_EXAMPLES", "1500"))
SHARDS = int(os.environ.get("MICROCRED_DIFFERENTIAL_SHARDS", "3"))
POOL = int(os.environ.get("MICROCRED_DIFFERENTIAL_POOL", "20"))


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_fast_path_and_pyld_agree_on_generated_documents(shard: int) -> None:
    result = run_shard(shard, max(1, EXAMPLES // SHARDS), POOL)
    assert result.documents > 0
    assert "fast" in result.routes  # the comparison ran on fast answers, not only on fallbacks
