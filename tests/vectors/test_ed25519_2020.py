"""Legacy Ed25519Signature2020 proofs in the DCC fixtures, keys from did:key or the dids/ folder.

did:web documents come from ``dids/`` through a DocumentMap: nothing is fetched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver, did_web_url
from microcred.core.proofs.data_integrity import ProofResult, verify_proofs
from tests.conftest import VECTORS, vectors_path

FIXTURES = VECTORS / "dcc-vc-test-fixtures"
VERIFIER_CORE = VECTORS / "dcc-verifier-core"


def _fixtures(root: Path, proof_type: str) -> list[Any]:
    if not root.exists():
        return [pytest.param(None, id="vectors-missing")]
    found = []
    for path in sorted(root.rglob("verifiableCredentials/**/*.json")):
        if path.stat().st_size == 0:  # one upstream file is empty
            continue
        proof = json.loads(path.read_text("utf-8")).get("proof")
        proofs = proof if isinstance(proof, list) else [proof]
        if any(isinstance(p, dict) and p.get("type") == proof_type for p in proofs):
            found.append(pytest.param(path, id=str(path.relative_to(root))))
    return found


def _resolver() -> DidResolver:
    dids = vectors_path("dcc-vc-test-fixtures", "dids")
    documents = {}
    for path in dids.glob("*/did.json"):
        documents[did_web_url(json.loads(path.read_text("utf-8"))["id"])] = path
    return DidResolver(DocumentMap(documents))


def _results(path: Path, proof_type: str) -> list[ProofResult]:
    document = json.loads(path.read_text("utf-8"))
    results = verify_proofs(document, _resolver().key_resolver("assertionMethod"))
    legacy = [r for r in results if r.suite == proof_type]
    assert legacy, "the fixture has a proof of this type"
    return legacy


@pytest.mark.parametrize("path", _fixtures(FIXTURES, "Ed25519Signature2020"))
def test_dcc_fixture_ed25519_2020(path: Path | None) -> None:
    vectors_path("dcc-vc-test-fixtures")
    assert path is not None
    for result in _results(path, "Ed25519Signature2020"):
        if path.name.endswith("-tampered.json"):  # edited after signing upstream
            assert not result.ok
            assert "changed after signing" in result.reason
        elif path.name == "badDidWeb.json":  # its did:web document is not in dids/
            assert not result.ok
            assert "not in the document map" in result.reason
        else:
            assert result.ok, result.reason


@pytest.mark.parametrize("path", _fixtures(FIXTURES, "DataIntegrityProof"))
def test_dcc_fixture_data_integrity(path: Path | None) -> None:
    vectors_path("dcc-vc-test-fixtures")
    assert path is not None
    for result in _results(path, "eddsa-rdfc-2022"):
        if path.name.endswith("oldDCCExample.json"):  # needs https://w3id.org/dcc/v1
            assert not result.ok
            assert "https://w3id.org/dcc/v1 is not packaged" in result.reason
        else:
            assert result.ok, result.reason


def _mutated(case: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((VERIFIER_CORE / case["fixture"]).read_text("utf-8"))
    mutation = case.get("mutation") or {}
    document.update(mutation.get("set", {}))
    for key in mutation.get("delete", []):
        document.pop(key, None)
    return document


def _tamper_cases() -> list[Any]:
    expectations = VERIFIER_CORE / "EXPECTATIONS.json"
    if not expectations.exists():
        return [pytest.param(None, id="vectors-missing")]
    cases = json.loads(expectations.read_text("utf-8"))["cases"]
    return [
        pytest.param(c, id=f"{c['fixture']}-{json.dumps(c['mutation'])}")
        for c in cases
        if "invalid_signature" in c["expect"]
    ]


@pytest.mark.parametrize("case", _tamper_cases())
def test_verifier_core_tampered_credentials_fail(case: dict[str, Any] | None) -> None:
    vectors_path("dcc-verifier-core")
    assert case is not None
    document = _mutated(case)
    results = verify_proofs(document, _resolver().key_resolver())
    assert results
    assert not any(r.ok for r in results)
    untouched = _mutated({"fixture": case["fixture"]})
    assert all(r.ok for r in verify_proofs(untouched, _resolver().key_resolver()))


def test_document_without_proof_has_no_results() -> None:
    case = {
        "fixture": "verifiableCredentials/v2/v2NoStatus.json",
        "mutation": {"delete": ["proof"]},
    }
    vectors_path("dcc-verifier-core")
    assert verify_proofs(_mutated(case), _resolver().key_resolver()) == []
