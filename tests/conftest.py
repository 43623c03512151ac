"""Shared test fixtures: where the standards' vectors live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VECTORS = SHARED / "vectors"


def vectors_path(*parts: str) -> Path:
    """Path inside ``../shared/vectors``; skips the test when the folder is not beside the repo."""
    path = VECTORS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"vectors not available: {path}")
    return path
