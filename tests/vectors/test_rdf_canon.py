"""W3C RDF Dataset Canonicalization (RDFC-1.0) test suite, every case with its expected outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import InputTooLarge
from tests.conftest import VECTORS, vectors_path

SUITE = VECTORS / "w3c-rdf-canon-tests"


def _entries() -> list[Any]:
    manifest = SUITE / "manifest.jsonld"
    if not manifest.exists():
        return [pytest.param(None, id="vectors-missing")]
    entries = json.loads(manifest.read_text("utf-8"))["entries"]
    return [pytest.param(entry, id=entry["id"].lstrip("#")) for entry in entries]


def _canonicalizer(entry: dict[str, Any]) -> PyldCanonicalizer:
    algorithm = str(entry.get("hashAlgorithm", "SHA256")).lower().replace("-", "")
    assert algorithm in ("sha256", "sha384")
    return PyldCanonicalizer(rdfc_hash=algorithm)  # type: ignore[arg-type]


def _read(base: Path, name: str) -> str:
    return (base / name).read_text("utf-8")


@pytest.mark.parametrize("entry", _entries())
def test_rdfc10(entry: dict[str, Any] | None) -> None:
    base = vectors_path("w3c-rdf-canon-tests")
    assert entry is not None
    nquads = _read(base, entry["action"])
    canonicalizer = _canonicalizer(entry)
    if entry["type"] == "rdfc:RDFC10NegativeEvalTest":
        # a "poison" graph: we must give up with a clear error instead of running for ages
        with pytest.raises(InputTooLarge, match="poison"):
            canonicalizer.canonize_nquads(nquads)
        return
    canonical, issued = canonicalizer.canonize_nquads(nquads)
    if entry["type"] == "rdfc:RDFC10EvalTest":
        assert canonical == _read(base, entry["result"])
    else:
        assert entry["type"] == "rdfc:RDFC10MapTest"
        assert issued == json.loads(_read(base, entry["result"]))


def test_every_case_is_run() -> None:
    manifest = json.loads(_read(vectors_path("w3c-rdf-canon-tests"), "manifest.jsonld"))
    kinds = {e["type"] for e in manifest["entries"]}
    assert kinds == {
        "rdfc:RDFC10EvalTest",
        "rdfc:RDFC10MapTest",
        "rdfc:RDFC10NegativeEvalTest",
    }
    assert len(manifest["entries"]) == 86
