"""1EdTech OB 3.0 and CLR 2.0 linked-data-proof vectors: canonical forms, hashes, exact proof."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import pytest

from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.data_integrity import proof_list, sign_document, verify_proofs
from microcred.core.proofs.eddsa_rdfc_2022 import SUITE
from tests.conftest import vectors_path

SPECS = [pytest.param("obv3p0", id="ob-3.0"), pytest.param("clrv2p0", id="clr-2.0")]


def _vector(spec: str) -> dict[str, Any]:
    path = vectors_path("1edtech-ob3-clr2", "spec-test-vectors", f"{spec}-ldp-test-vector.json")
    vector: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return vector


def _file(spec: str, name: str) -> str:
    path = vectors_path("1edtech-ob3-clr2", "spec-test-vectors", spec, name)
    return path.read_text("utf-8")


def _key(vector: dict[str, Any]) -> KeyPair:
    key = KeyPair.from_multibase_private(vector["key-pair"]["secretKeyMultibase"])
    seed = bytes.fromhex(vector["key-pair"]["privateKeyHex_64byte_seed_plus_public"][:64])
    assert KeyPair.from_seed(seed).public == key.public
    assert key.public.to_multibase() == vector["key-pair"]["publicKeyMultibase"]
    return key


def _key_from_fragment(verification_method: str) -> PublicKey:
    """The 1EdTech convention: ``<controller URL>#<publicKeyMultibase>``."""
    return PublicKey.from_multibase(verification_method.rpartition("#")[2])


@pytest.mark.parametrize("spec", SPECS)
def test_document_and_proof_canon_match(spec: str) -> None:
    vector = _vector(spec)
    document, options = vector["document-before"], vector["proof-before"]
    canon_doc = SUITE.canonize(document, _key(vector).type)
    config = {**options, "@context": document["@context"]}
    canon_proof = SUITE.canonize(config, _key(vector).type)
    assert canon_doc.decode() == _file(spec, "document-canon.txt")
    assert canon_proof.decode() == _file(spec, "proof-canon.txt")
    assert hashlib.sha256(canon_doc).hexdigest() == vector["document-hash"]
    assert hashlib.sha256(canon_proof).hexdigest() == vector["proof-hash"]
    assert SUITE.hash_data(document, config, _key(vector).type).hex() == vector["data"]


@pytest.mark.parametrize("spec", SPECS)
def test_signature_and_proof_are_reproduced(spec: str) -> None:
    vector = _vector(spec)
    key, options = _key(vector), vector["proof-before"]
    assert key.sign(bytes.fromhex(vector["data"])).hex() == vector["signature"]
    signed = sign_document(
        vector["document-before"],
        key,
        options["verificationMethod"],
        created=datetime.fromisoformat(options["created"]),
    )
    assert signed["proof"] == vector["proof"]
    assert proof_list(vector["signed-credential"]) == [vector["proof"]]


@pytest.mark.parametrize("spec", SPECS)
def test_signed_credential_verifies_and_edits_break_it(spec: str) -> None:
    signed = _vector(spec)["signed-credential"]
    [result] = verify_proofs(signed, _key_from_fragment)
    assert result.ok, result.reason
    signed["name"] = signed["name"] + "!"
    [result] = verify_proofs(signed, _key_from_fragment)
    assert not result.ok
