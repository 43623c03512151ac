"""The worked examples in docs/pathways.md and docs/recognition.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[3] / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("page", ["pathways.md", "recognition.md"])
def test_the_worked_example_runs(page: str) -> None:
    blocks = BLOCK.findall((DOCS / page).read_text("utf-8"))
    assert blocks, f"{page} has no Python example"
    namespace: dict[str, object] = {}
    exec(compile("\n".join(blocks), page, "exec"), namespace)
