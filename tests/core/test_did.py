"""DIDs: did:key documents, did:web URLs and documents (rotation), resolution and method lookup."""

from __future__ import annotations

import json
from typing import Any

import base58
import pytest

from microcred.core.did import (
    DidResolver,
    did_key_document,
    did_web_document,
    did_web_url,
    find_verification_method,
    method_public_key,
)
from microcred.core.errors import ResolutionError
from microcred.core.keys import KeyPair, KeyType, PublicKey
from tests.conftest import vectors_path

ED = KeyPair.from_seed(bytes(range(32))).public


@pytest.mark.parametrize("kt", list(KeyType))
def test_did_key_document_for_each_key_type(kt: KeyType) -> None:
    key = KeyPair.generate(kt).public
    doc = DidResolver().resolve(key.did_key)
    assert doc["id"] == key.did_key
    [method] = doc["verificationMethod"]
    assert method == {
        "id": key.did_key_vm,
        "type": "Multikey",
        "controller": key.did_key,
        "publicKeyMultibase": key.to_multibase(),
    }
    assert doc["assertionMethod"] == [key.did_key_vm]
    assert find_verification_method(doc, key.did_key_vm) == key


def test_did_key_legacy_ed25519_2020_form() -> None:
    doc = did_key_document(ED.did_key, legacy_ed25519=True)
    assert doc["verificationMethod"][0]["type"] == "Ed25519VerificationKey2020"
    assert "https://w3id.org/security/suites/ed25519-2020/v1" in doc["@context"]
    assert find_verification_method(doc, ED.did_key_vm) == ED


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:a:b", "https://example.com:3000/a/b/did.json"),
        ("did:web:Example.COM#key-1", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_web_url(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    ["did:key:z6Mk", "did:web:", "did:web:exa/mple.com", "did:web:example.com:..", "did:web:-x"],
)
def test_bad_did_web_is_refused(did: str) -> None:
    with pytest.raises(ResolutionError):
        did_web_url(did)


def test_did_web_document_with_rotation() -> None:
    old, new, leaked = (KeyPair.generate().public for _ in range(3))
    doc = did_web_document("issuer.example.org/units/law", [old, new, leaked], valid=[old, new])
    did = "did:web:issuer.example.org:units:law"
    assert doc["id"] == did
    ids = [m["id"] for m in doc["verificationMethod"]]
    assert ids == [f"{did}#{k.to_multibase()}" for k in (old, new, leaked)]
    assert doc["assertionMethod"] == ids[:2]
    assert find_verification_method(doc, ids[0]) == old  # old credentials still verify
    with pytest.raises(ResolutionError, match="not listed for assertionMethod"):
        find_verification_method(doc, ids[2])
    assert did_web_document(did, [new])["id"] == did


def test_did_web_from_host_with_port() -> None:
    doc = did_web_document("localhost:8443", [ED])
    assert doc["id"] == "did:web:localhost%3A8443"
    assert did_web_url(doc["id"]) == "https://localhost:8443/.well-known/did.json"


def test_resolver_fetches_did_web_through_the_injected_callable() -> None:
    doc = did_web_document("example.com", [ED])
    seen: list[str] = []

    def fetch(url: str) -> dict[str, Any]:
        seen.append(url)
        return doc

    resolver = DidResolver(fetch)
    assert resolver.resolve_key(f"did:web:example.com#{ED.to_multibase()}") == ED
    assert seen == ["https://example.com/.well-known/did.json"]
    with pytest.raises(ResolutionError, match=r"not the DID document of did:web:other\.com"):
        resolver.resolve("did:web:other.com")


def test_resolver_without_fetch_and_unknown_methods() -> None:
    with pytest.raises(ResolutionError, match="no way to fetch"):
        DidResolver().resolve("did:web:example.com")
    with pytest.raises(ResolutionError, match="cannot resolve did:ebsi"):
        DidResolver().resolve("did:ebsi:zabc")


def test_method_must_belong_to_and_be_controlled_by_the_did() -> None:
    doc = did_web_document("example.com", [ED])
    other = KeyPair.generate().public
    with pytest.raises(ResolutionError, match="does not belong to"):
        find_verification_method(doc, other.did_key_vm)
    doc["verificationMethod"][0]["controller"] = "did:web:evil.example"
    with pytest.raises(ResolutionError, match=r"controlled by did:web:evil\.example"):
        find_verification_method(doc, doc["assertionMethod"][0])
    doc = did_web_document("example.com", [ED])
    doc["authentication"] = []
    with pytest.raises(ResolutionError, match="not listed for authentication"):
        find_verification_method(doc, doc["assertionMethod"][0], "authentication")


def test_relative_ids_and_embedded_methods() -> None:
    doc = {
        "id": "did:web:example.com",
        "assertionMethod": [
            {
                "id": "#k1",
                "type": "JsonWebKey2020",
                "controller": "did:web:example.com",
                "publicKeyJwk": ED.to_jwk(),
            }
        ],
    }
    assert find_verification_method(doc, "did:web:example.com#k1") == ED
    assert find_verification_method(doc, "#k1") == ED


@pytest.mark.parametrize(
    "method",
    [
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "base58-of-raw"},
        {"type": "Ed25519VerificationKey2020", "publicKeyMultibase": "multikey"},
        {"type": "Multikey", "publicKeyMultibase": "multikey"},
        {"type": "JsonWebKey2020", "publicKeyJwk": "jwk"},
    ],
)
def test_public_key_forms(method: dict[str, Any]) -> None:
    values = {
        "base58-of-raw": base58.b58encode(ED.raw_bytes).decode(),
        "multikey": ED.to_multibase(),
        "jwk": ED.to_jwk(),
    }
    filled = {k: values.get(v, v) if isinstance(v, str) else v for k, v in method.items()}
    filled["type"] = method["type"]
    assert method_public_key(filled) == ED


def test_ed25519_method_with_an_ec_key_is_refused() -> None:
    p256 = KeyPair.generate(KeyType.P256).public
    with pytest.raises(ResolutionError, match="holds a p256 key"):
        method_public_key({"type": "Ed25519VerificationKey2020", "publicKeyJwk": p256.to_jwk()})


def test_dcc_did_web_documents() -> None:
    dids = vectors_path("dcc-vc-test-fixtures", "dids")
    for name in ("legacy", "oidf"):
        doc = json.loads((dids / name / "did.json").read_text("utf-8"))
        vm = doc["assertionMethod"][0]["id"]
        key = find_verification_method(doc, vm)
        assert key == PublicKey.from_multibase("z6MkjXe1vZvPRqFuc9nRBtZ3e1Y9XKDFSbjFAfzLfW2bD6cZ")
