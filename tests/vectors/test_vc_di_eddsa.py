"""W3C vc-di-eddsa test vectors: canonical forms, hashes, exact proof values, proof sets/chains."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.core.did import DidResolver
from microcred.core.keys import KeyPair
from microcred.core.proofs import ed25519_signature_2020, eddsa_jcs_2022, eddsa_rdfc_2022
from microcred.core.proofs.cryptosuite import Cryptosuite
from microcred.core.proofs.data_integrity import sign_document, verify_proofs
from tests.conftest import vectors_path

CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
CASES = [
    pytest.param("eddsa-rdfc-2022", "DataInt", eddsa_rdfc_2022.SUITE, id="rdfc-alumni"),
    pytest.param("eddsa-rdfc-2022/employ", "DataInt", eddsa_rdfc_2022.SUITE, id="rdfc-employ"),
    pytest.param("eddsa-jcs-2022", "JCS", eddsa_jcs_2022.SUITE, id="jcs"),
    pytest.param("Ed25519Signature2020", "EdSig", ed25519_signature_2020.SUITE, id="ed2020"),
]


def _dir(folder: str) -> Path:
    return vectors_path("w3c-vc-di-eddsa", "TestVectors", *folder.split("/"))


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _key() -> KeyPair:
    pair = _json(_dir(".") / "keyPair.json")
    key = KeyPair.from_multibase_private(pair["privateKeyMultibase"])
    assert key.public.to_multibase() == pair["publicKeyMultibase"]
    return key


def _unsecured(signed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in signed.items() if k != "proof"}


@pytest.mark.parametrize(("folder", "tag", "suite"), CASES)
def test_canonical_forms_and_hashes(folder: str, tag: str, suite: Cryptosuite) -> None:
    base = _dir(folder)
    signed = _json(base / f"signed{tag}.json")
    config = _json(base / f"proofConfig{tag}.json")
    canon_doc = suite.canonize(_unsecured(signed), _key().type)
    canon_proof = suite.canonize(config, _key().type)
    assert canon_doc.decode() == (base / f"canonDoc{tag}.txt").read_text("utf-8")
    assert canon_proof.decode() == (base / f"proofCanon{tag}.txt").read_text("utf-8")
    doc_hash = hashlib.sha256(canon_doc).hexdigest()
    proof_hash = hashlib.sha256(canon_proof).hexdigest()
    assert doc_hash == (base / f"docHash{tag}.txt").read_text().strip()
    assert proof_hash == (base / f"proofHash{tag}.txt").read_text().strip()
    combined = (base / f"combinedHash{tag}.txt").read_text().strip()
    assert combined == proof_hash + doc_hash
    assert suite.hash_data(_unsecured(signed), config, _key().type).hex() == combined


@pytest.mark.parametrize(("folder", "tag", "suite"), CASES)
def test_exact_signature_and_proof_value(folder: str, tag: str, suite: Cryptosuite) -> None:
    base = _dir(folder)
    combined = bytes.fromhex((base / f"combinedHash{tag}.txt").read_text().strip())
    signature = _key().sign(combined)
    assert signature.hex() == (base / f"sigHex{tag}.txt").read_text().strip()
    proof_value = _json(base / f"signed{tag}.json")["proof"]["proofValue"]
    assert proof_value == (base / f"sigBTC58{tag}.txt").read_text().strip()


@pytest.mark.parametrize(("folder", "tag", "suite"), CASES)
def test_vector_verifies_and_tampering_is_caught(folder: str, tag: str, suite: Cryptosuite) -> None:
    signed = _json(_dir(folder) / f"signed{tag}.json")
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert (result.ok, result.suite, result.reason) == (True, suite.name, "signature valid")
    signed["credentialSubject"]["id"] = "did:example:somebody-else"
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert not result.ok
    assert "changed after signing" in result.reason


@pytest.mark.parametrize(("folder", "tag", "suite"), CASES[:3])
def test_signing_reproduces_the_vector(folder: str, tag: str, suite: Cryptosuite) -> None:
    signed = _json(_dir(folder) / f"signed{tag}.json")
    key = _key()
    ours = sign_document(
        _unsecured(signed), key, key.public.did_key_vm, suite=suite.name, created=CREATED
    )
    assert ours == signed


def test_legacy_suite_is_verify_only() -> None:
    signed = _json(_dir("Ed25519Signature2020") / "signedEdSig.json")
    key = _key()
    with pytest.raises(Exception, match="cannot sign"):
        sign_document(_unsecured(signed), key, key.public.did_key_vm, suite="Ed25519Signature2020")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("signedProofSet1", 1),
        ("signedProofSet2", 2),
        ("signedProofChain1", 3),
        ("signedProofChain2", 4),
    ],
)
def test_proof_sets_and_chains_verify_each_proof(name: str, count: int) -> None:
    signed = _json(_dir("proof-set-chain") / f"{name}.json")
    results = verify_proofs(signed, DidResolver().key_resolver())
    assert [r.ok for r in results] == [True] * count


def _chain_key(number: int) -> KeyPair:
    pairs = _json(_dir("proof-set-chain") / "multiKeyPairs.json")
    return KeyPair.from_multibase_private(pairs[f"keyPair{number}"]["privateKeyMultibase"])


def _add(document: dict[str, Any], key_number: int, config_name: str) -> dict[str, Any]:
    config = _json(_dir("proof-set-chain") / f"{config_name}.json")
    created = datetime.fromisoformat(config["created"])
    return sign_document(
        document,
        _chain_key(key_number),
        config["verificationMethod"],
        created=created,
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
    )


def test_signing_reproduces_proof_set_and_chain() -> None:
    base = _dir("proof-set-chain")
    document = _json(base / "unsigned.json")
    document = _add(document, 1, "proofSetConfig1")
    assert document == _json(base / "signedProofSet1.json")
    document = _add(document, 2, "proofSetConfig2")
    assert document == _json(base / "signedProofSet2.json")
    document = _add(document, 3, "proofChainConfig1")
    assert document == _json(base / "signedProofChain1.json")
    document = _add(document, 4, "proofChainConfig2")
    assert document == _json(base / "signedProofChain2.json")


def test_chain_with_missing_previous_proof_fails() -> None:
    signed = _json(_dir("proof-set-chain") / "signedProofChain1.json")
    signed["proof"] = signed["proof"][1:]  # drop a proof the chained proof depends on
    results = verify_proofs(signed, DidResolver().key_resolver())
    assert [r.ok for r in results] == [True, False]
    assert "not in the document's proof set" in results[1].reason
