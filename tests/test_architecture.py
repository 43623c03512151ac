"""The layering contracts in pyproject.toml catch the imports they forbid.

Each case copies the package, adds one module with a forbidden import, and runs
import-linter on the copy: the contract must break, naming the import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"

CASES = {
    "edges-siblings": ("api/_probe.py", "from microcred.web import rendering"),
    "edges-no-db": ("web/_probe.py", "from microcred.adapters.db import tables"),
    "core-pure": ("core/_probe.py", "import httpx"),
    "layers": ("services/_probe.py", "from microcred.api import deps"),
}


def _lint(source: Path, contract: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(source)}  # the copy, ahead of the installed package
    return subprocess.run(
        [str(LINT), str(ROOT / "pyproject.toml"), "--contract", contract, "--no-cache"],
        cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("contract", list(CASES))
def test_a_forbidden_import_breaks_the_contract(tmp_path: Path, contract: str) -> None:
    package = tmp_path / "microcred"
    skipped = shutil.ignore_patterns("__pycache__", "static", "templates")
    shutil.copytree(ROOT / "src" / "microcred", package, ignore=skipped)
    path, line = CASES[contract]
    (package / path).write_text(f'"""A forbidden import."""\n\n{line}\n', encoding="utf-8")
    result = _lint(tmp_path, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert f"microcred.{path[:-3].replace('/', '.')}" in result.stdout
