"""W3C vc-di-ecdsa vectors (ecdsa-rdfc-2019, P-256 and P-384): canonical forms, hashes, proofs.

ECDSA signatures are randomized, so the vector's signatures are verified and our own signatures
are checked by round trip, not compared byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.core.canon import PyldCanonicalizer
from microcred.core.did import DidResolver
from microcred.core.keys import KeyPair, KeyType, multibase_decode
from microcred.core.proofs.data_integrity import sign_document, verify_proofs
from microcred.core.proofs.ecdsa_rdfc_2019 import SUITE
from microcred.core.proofs.registry import suites
from tests.conftest import vectors_path

CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
CURVES = {"P256": ("p256KeyPair.json", "sha256"), "P384": ("p384KeyPair.json", "sha384")}
CASES = [
    pytest.param(curve, sub, id=f"{curve}-{sub or 'alumni'}")
    for curve in CURVES
    for sub in ("", "employ")
]


def _vectors() -> Path:
    return vectors_path("w3c-vc-di-ecdsa", "TestVectors")


def _dir(curve: str, sub: str) -> Path:
    base = _vectors() / f"ecdsa-rdfc-2019-{curve.lower()}"
    return base / sub if sub else base


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _key(curve: str) -> KeyPair:
    pair = _json(_vectors() / CURVES[curve][0])
    key = KeyPair.from_multibase_private(pair["secretKeyMultibase"])
    assert key.public.to_multibase() == pair["publicKeyMultibase"]
    return key


def _text(base: Path, name: str, curve: str) -> str:
    return (base / f"{name}ECDSA{curve}.txt").read_text("utf-8")


def _unsecured(signed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in signed.items() if k != "proof"}


@pytest.mark.parametrize(("curve", "sub"), CASES)
def test_canonical_forms_and_hashes(curve: str, sub: str) -> None:
    base, key = _dir(curve, sub), _key(curve)
    signed = _json(base / f"signedECDSA{curve}.json")
    config = _json(base / f"proofConfigECDSA{curve}.json")
    canon_doc = SUITE.canonize(_unsecured(signed), key.type)
    canon_proof = SUITE.canonize(config, key.type)
    assert canon_doc.decode() == _text(base, "canonDoc", curve)
    assert canon_proof.decode() == _text(base, "proofCanon", curve)
    algorithm = CURVES[curve][1]
    doc_hash = hashlib.new(algorithm, canon_doc).hexdigest()
    proof_hash = hashlib.new(algorithm, canon_proof).hexdigest()
    assert doc_hash == _text(base, "docHash", curve).strip()
    assert proof_hash == _text(base, "proofHash", curve).strip()
    assert proof_hash + doc_hash == _text(base, "combinedHash", curve).strip()


@pytest.mark.parametrize(("curve", "sub"), CASES)
def test_vector_signature_verifies(curve: str, sub: str) -> None:
    base, key = _dir(curve, sub), _key(curve)
    combined = bytes.fromhex(_text(base, "combinedHash", curve).strip())
    signature = bytes.fromhex(_text(base, "sigHex", curve).strip())
    assert key.public.verify(signature, combined)
    assert multibase_decode(_text(base, "sigBTC58", curve).strip()) == signature
    signed = _json(base / f"signedECDSA{curve}.json")
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert (result.ok, result.suite) == (True, "ecdsa-rdfc-2019")


def test_p384_canonicalization_hashes_blank_nodes_with_sha384() -> None:
    base = _dir("P384", "employ")
    document = _unsecured(_json(base / "signedECDSAP384.json"))
    expected = _text(base, "canonDoc", "P384")
    assert PyldCanonicalizer("sha384", rdfc_hash="sha384").canonize(document) == expected
    assert PyldCanonicalizer("sha384", rdfc_hash="sha256").canonize(document) != expected


@pytest.mark.parametrize(("curve", "sub"), CASES)
def test_sign_and_verify_round_trip(curve: str, sub: str) -> None:
    base, key = _dir(curve, sub), _key(curve)
    unsigned = _unsecured(_json(base / f"signedECDSA{curve}.json"))
    signed = sign_document(
        unsigned, key, key.public.did_key_vm, suite="ecdsa-rdfc-2019", created=CREATED
    )
    expected = {**_json(base / f"proofConfigECDSA{curve}.json")}
    del expected["@context"]
    assert {k: v for k, v in signed["proof"].items() if k != "proofValue"} == expected
    expected_size = 64 if key.type is KeyType.P256 else 96
    assert len(multibase_decode(signed["proof"]["proofValue"])) == expected_size
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert result.ok, result.reason
    signed["validFrom"] = "2024-01-01T00:00:00Z"
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert not result.ok


def test_ecdsa_suite_refuses_ed25519_keys() -> None:
    unsigned = _unsecured(_json(_dir("P256", "") / "signedECDSAP256.json"))
    key = KeyPair.generate(KeyType.ED25519)
    with pytest.raises(Exception, match="cannot use a ed25519 key"):
        sign_document(unsigned, key, key.public.did_key_vm, suite="ecdsa-rdfc-2019")


@pytest.mark.parametrize("curve", list(CURVES))
def test_ecdsa_jcs_2019_vectors(curve: str) -> None:
    base, key = _vectors() / f"ecdsa-jcs-2019-{curve.lower()}", _key(curve)
    signed = _json(base / f"signedJCSECDSA{curve}.json")
    config = _json(base / f"proofConfigJCSECDSA{curve}.json")
    suite = suites()["ecdsa-jcs-2019"]
    assert suite.canonize(_unsecured(signed), key.type).decode() == _text(
        base, "canonDocJCS", curve
    )
    assert suite.canonize(config, key.type).decode() == _text(base, "proofCanonJCS", curve)
    combined = suite.hash_data(_unsecured(signed), config, key.type)
    assert combined.hex() == _text(base, "combinedHashJCS", curve).strip()
    assert key.public.verify(bytes.fromhex(_text(base, "sigHexJCS", curve).strip()), combined)
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert (result.ok, result.suite) == (True, "ecdsa-jcs-2019")
    ours = sign_document(
        _unsecured(signed), key, key.public.did_key_vm, suite="ecdsa-jcs-2019", created=CREATED
    )
    assert {k: v for k, v in ours["proof"].items() if k != "proofValue"} == config
    assert verify_proofs(ours, DidResolver().key_resolver())[0].ok
