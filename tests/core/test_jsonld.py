"""Offline JSON-LD: only packaged contexts, clear errors for others, guards before processing."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import InputTooLarge, InvalidCredential, UnknownContext
from microcred.core.jsonld import (
    OfflineLoader,
    context_index,
    expand,
    load_context_file,
    to_nquads,
)
from tests.conftest import vectors_path

ELM = "http://data.europa.eu/snb/model/context/edc-ap"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("JSON-LD processing tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_every_indexed_context_loads() -> None:
    index = context_index()
    assert ELM in index
    for url, name in index.items():
        assert "@context" in load_context_file(name), url


def test_packaged_copies_are_identical_to_the_vectors() -> None:
    folder = vectors_path("jsonld-contexts")
    upstream = json.loads((folder / "contexts-map.json").read_text("utf-8"))
    index = context_index()
    for url, path in upstream.items():
        assert index[url] == path.removeprefix("files/")
        ours = load_context_file(index[url])
        assert ours == json.loads((folder / path).read_text("utf-8"))
    elm = vectors_path("edc", "context", "elm-3.2-edc-ap-context.jsonld")
    assert load_context_file(index[ELM]) == json.loads(elm.read_text("utf-8"))


def test_optional_extension_slot_points_at_a_packaged_file() -> None:
    name = context_index().get("https://w3id.org/microcred/ob3-extension/v1")
    if name is not None:
        assert name == "microcred-ob3-extension-v1.jsonld"
        assert "@context" in load_context_file(name)


@pytest.mark.usefixtures("no_network")
def test_unknown_context_is_named_and_never_fetched() -> None:
    document = {"@context": [VC2, "https://evil.example/context.jsonld"], "type": "X"}
    with pytest.raises(UnknownContext, match=r"https://evil\.example/context\.jsonld"):
        expand(document)
    with pytest.raises(UnknownContext, match="not packaged"):
        PyldCanonicalizer().canonize(document)


@pytest.mark.usefixtures("no_network")
def test_ob3_credential_expands_offline() -> None:
    path = vectors_path("1edtech-ob3-clr2", "spec-test-vectors", "obv3p0-ldp-test-vector.json")
    credential = json.loads(path.read_text("utf-8"))["test-data"]
    [expanded] = expand(credential)
    assert (
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
        in (expanded["@type"])
    )


@pytest.mark.usefixtures("no_network")
def test_elm_sample_expands_with_3_2_and_3_1_contexts() -> None:
    path = vectors_path("edc", "credentials", "elm-Sample-MC-Annex1-unsigned.jsonld")
    credential = json.loads(path.read_text("utf-8"))
    assert ELM in credential["@context"]
    quads = to_nquads(credential)
    assert "http://data.europa.eu/snb/model/elm/" in quads
    loader_31 = OfflineLoader({ELM: "elm-3.1-edc-ap-context.jsonld"})
    probe = {"@context": ELM, "@id": "urn:x", "nationalID": "urn:id:123"}
    assert "elm/nationalID>" in to_nquads(probe, loader_31)
    assert "elm/nationalID>" not in to_nquads(probe)  # 3.2 renamed the term


def _nested(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {"urn:p": "leaf"}
    for _ in range(depth):
        document = {"urn:p": document}
    return document


def test_deep_documents_are_refused_before_processing() -> None:
    PyldCanonicalizer().canonize({"@context": {}, **_nested(60)})
    with pytest.raises(InputTooLarge, match="deeper than 64"):
        PyldCanonicalizer().canonize({"@context": {}, **_nested(70)})


def test_large_documents_are_refused_before_processing() -> None:
    big = {"@context": {"@vocab": "urn:v:"}, "items": ["x" * 1000] * 6000}
    with pytest.raises(InputTooLarge, match="larger than 5000000 bytes"):
        PyldCanonicalizer().canonize(big)


V1 = "https://www.w3.org/2018/credentials/v1"


def test_safe_mode_refuses_terms_the_context_does_not_define() -> None:
    document = {"@context": [V1], "type": "VerifiableCredential", "grade": "A+"}
    with pytest.raises(InvalidCredential, match="'grade' is not defined"):
        PyldCanonicalizer().canonize(document)
    # without safe mode the term silently disappears: exactly what must not happen when signing
    assert "A+" not in PyldCanonicalizer(safe=False).canonize(document)


def test_safe_mode_refuses_relative_references() -> None:
    with pytest.raises(InvalidCredential, match="relative @type reference 'Badge'"):
        PyldCanonicalizer().canonize({"@context": [V1], "type": ["VerifiableCredential", "Badge"]})
    with pytest.raises(InvalidCredential, match="relative @id reference 'cred-1'"):
        PyldCanonicalizer().canonize(
            {"@context": V1, "id": "cred-1", "type": "VerifiableCredential"}
        )


def test_dcc_safe_mode_breaker_is_refused() -> None:
    path = vectors_path("dcc-verifier-core", "verifiableCredentials", "eddsa", "v2")
    document = json.loads((path / "safeModeBreaker.json").read_text("utf-8"))
    with pytest.raises(InvalidCredential, match="endorsementJwt"):
        PyldCanonicalizer().canonize({k: v for k, v in document.items() if k != "proof"})
