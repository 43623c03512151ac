"""The fast JSON-LD -> RDFC-1.0 path gives pyld's bytes, or steps aside to pyld.

Every JSON-LD document in ../shared/vectors (credentials, signed vectors, their unsecured
forms and proof options) is canonicalised both ways; the outcome (canonical N-Quads or the
error a user sees) must be the same. The generated-document differential test is in
``test_fastrdf_differential.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from microcred.core import fastrdf
from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import InvalidCredential, MicrocredError
from microcred.core.jsonld import expand
from microcred.core.nquads import parse_nquads
from tests.conftest import VECTORS, vectors_path

FAST = PyldCanonicalizer()
REFERENCE = PyldCanonicalizer(fast=False)


def _documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(VECTORS.rglob("*.json*")):
        if path.suffix not in (".json", ".jsonld") or path.stat().st_size > 200_000:
            continue
        try:
            document = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(document, dict) and "@context" in document:
            yield str(path.relative_to(VECTORS)), document


def _variants(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The document, its unsecured form and each proof's options as a proof signs them."""
    yield document
    proofs = document.get("proof")
    if proofs is None:
        return
    yield {k: v for k, v in document.items() if k != "proof"}
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, dict):
            options = {k: v for k, v in proof.items() if k != "proofValue"}
            yield {**options, "@context": document["@context"]}


def _outcome(canonicalizer: PyldCanonicalizer, document: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("ok", canonicalizer.canonize(document))
    except MicrocredError as exc:
        return ("refused", type(exc).__name__, exc.message)


def _fast_only(document: dict[str, Any]) -> str | None:
    try:
        return fastrdf.canonize(document, "sha256")
    except fastrdf.Unsupported:
        return None


DOCUMENTS = list(_documents())


def test_the_vectors_are_there() -> None:
    vectors_path()
    assert len(DOCUMENTS) > 150


@pytest.mark.parametrize(("name", "document"), DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_every_vector_document_canonicalises_as_pyld_does(
    name: str, document: dict[str, Any]
) -> None:
    for variant in _variants(document):
        fast = _fast_only(variant)
        if fast is None:
            continue  # the fast path stepped aside: pyld answers, nothing to compare
        assert _outcome(REFERENCE, variant) == ("ok", fast), name
        assert fastrdf.expand_document(variant) == expand(variant), name


def test_the_fast_path_handles_most_vector_credentials() -> None:
    handled = sum(1 for _, doc in DOCUMENTS if _fast_only(doc) is not None)
    unsecured = [
        {k: v for k, v in doc.items() if k != "proof"} for _, doc in DOCUMENTS if "proof" in doc
    ]
    handled_unsecured = sum(1 for doc in unsecured if _fast_only(doc) is not None)
    assert handled > len(DOCUMENTS) // 3
    assert handled_unsecured > len(unsecured) // 2


def test_rdfc_vectors_through_the_fast_rdfc_step() -> None:
    base = vectors_path("w3c-rdf-canon-tests")
    manifest = json.loads((base / "manifest.jsonld").read_text("utf-8"))
    fast = 0
    for entry in manifest["entries"]:
        if entry["type"] == "rdfc:RDFC10NegativeEvalTest":
            continue
        hash_name = str(entry.get("hashAlgorithm", "SHA256")).lower().replace("-", "")
        quads = fastrdf.dataset_quads(parse_nquads((base / entry["action"]).read_text("utf-8")))
        try:
            canonical, labels = fastrdf.canonical_nquads(quads, hash_name)
        except fastrdf.Unsupported:
            continue
        expected = (base / entry["result"]).read_text("utf-8")
        if entry["type"] == "rdfc:RDFC10MapTest":
            assert {old[2:]: new[2:] for old, new in labels.items()} == json.loads(expected)
        else:
            assert canonical == expected, entry["id"]
        fast += 1
    assert fast >= 25


def _credential() -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner", "name": "Ana"},
    }


def test_an_undefined_term_is_refused_with_the_fast_path_on() -> None:
    document = {**_credential(), "notInAnyContext": "hidden"}
    before = fastrdf.stats().get("fallback: a property the context does not define", 0)
    with pytest.raises(InvalidCredential, match="notInAnyContext"):
        FAST.canonize(document)
    after = fastrdf.stats().get("fallback: a property the context does not define", 0)
    assert after == before + 1


def test_a_relative_reference_is_refused_with_the_fast_path_on() -> None:
    document = {**_credential(), "id": "relative/credential"}
    with pytest.raises(InvalidCredential, match="relative @id reference"):
        FAST.canonize(document)


def test_the_counter_says_when_the_fast_path_was_used() -> None:
    before = fastrdf.stats().get("fast", 0)
    assert FAST.canonize(_credential()) == REFERENCE.canonize(_credential())
    assert fastrdf.stats().get("fast", 0) == before + 1


def test_an_inline_context_is_processed_once_and_used() -> None:
    document = {**_credential(), "@context": [*_credential()["@context"], {"x": "urn:x"}]}
    document["x"] = "value"
    assert fastrdf.canonize(document, "sha256") == REFERENCE.canonize(document)
    assert '<urn:x> "value"' in FAST.canonize(document)


def test_an_unknown_construct_falls_back_to_pyld() -> None:
    context = {"tags": {"@id": "urn:tags", "@container": "@index"}}
    document = {**_credential(), "@context": [*_credential()["@context"], context]}
    document["tags"] = {"first": "one", "second": ["two", "three"]}
    reason = "fallback: an index, id, type or graph container"
    before = fastrdf.stats().get(reason, 0)
    assert FAST.canonize(document) == REFERENCE.canonize(document)
    assert fastrdf.stats().get(reason, 0) == before + 1


def test_language_direction_and_lists_match_pyld() -> None:
    document = {
        **_credential(),
        "name": [
            {"@value": "شهادة", "@language": "ar", "@direction": "rtl"},
            {"@value": "Certificate", "@language": "en"},
            {"@value": "Zertifikat", "@language": "de", "@direction": "ltr"},
        ],
        "description": {"@value": 'x\ty\u0008"z"', "@direction": "rtl"},
    }
    assert FAST.canonize(document) == REFERENCE.canonize(document)
    assert fastrdf.expand_document(document) == expand(document)


def test_blank_nodes_with_equal_first_degree_hashes_fall_back_and_still_match() -> None:
    document = {**_credential(), "credentialSubject": [{"name": "same"}, {"name": "same"}]}
    with pytest.raises(fastrdf.Unsupported):
        fastrdf.canonize(document, "sha256")
    assert FAST.canonize(document) == REFERENCE.canonize(document)


def test_the_sha384_blank_node_hash_is_honoured() -> None:
    document = {**_credential(), "credentialSubject": {"name": "no id: a blank node"}}
    fast = PyldCanonicalizer("sha384", rdfc_hash="sha384")
    reference = PyldCanonicalizer("sha384", rdfc_hash="sha384", fast=False)
    assert fast.canonize(document) == reference.canonize(document)


def test_a_type_scoped_context_pyld_refuses_is_refused_the_same_way() -> None:
    # two type-scoped contexts define the same protected term differently
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/status/v1",
            "https://w3id.org/vc/status-list/2021/v1",
        ],
        "id": "https://example.org/status",
        "type": ["BitstringStatusList", "StatusList2021"],
        "statusPurpose": "revocation",
    }
    with pytest.raises(fastrdf.Unsupported, match="pyld refuses"):
        fastrdf.canonize(document, "sha256")
    assert _outcome(FAST, document) == _outcome(REFERENCE, document)
    assert _outcome(FAST, document)[0] == "refused"


def test_memos_stay_bounded_over_many_distinct_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    from microcred.core.fastrdf import contexts

    monkeypatch.setattr(contexts, "_MEMO_LIMIT", 50)
    root = contexts.root_context(_credential()["@context"])
    for number in range(200):
        document = {**_credential(), "id": f"urn:uuid:{number}", f"undefined{number}": "v"}
        with pytest.raises(InvalidCredential):
            FAST.canonize(document)  # an undefined property: still refused
        FAST.canonize({**_credential(), "id": f"urn:uuid:{number}"})
    assert len(root._ids) <= 50
    assert len(root._plans) <= 50


def _nested(**changes: Any) -> dict[str, Any]:
    document = _credential()
    document["credentialSubject"] = {**document["credentialSubject"], **changes}
    return document


SAFE_MODE_CASES = {
    "an undefined term in a nested node": _nested(hiddenClaim="x"),
    "an undefined term in a node inside an array": {
        **_credential(), "credentialSubject": [{"id": "did:example:a", "secretNote": "x"}]},
    "an undefined type": {**_credential(), "type": ["VerifiableCredential", "MadeUpType"]},
    "an undefined type in a nested node": _nested(type="MadeUpSubject"),
    "a relative issuer": {**_credential(), "issuer": "issuers/1"},
    "a relative id in a nested node": _nested(id="learners/ana"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SAFE_MODE_CASES))
def test_safe_mode_holds_on_the_fast_path_as_in_pyld(case: str) -> None:
    """What safe mode refuses, the fast path never answers: it steps aside, and the refusal
    is pyld's, word for word."""
    document = SAFE_MODE_CASES[case]
    with pytest.raises(InvalidCredential) as reference:
        REFERENCE.canonize(document)
    with pytest.raises(InvalidCredential) as fast:
        FAST.canonize(document)
    assert fast.value.message == reference.value.message
    with pytest.raises(fastrdf.Unsupported):
        fastrdf.canonize(document, "sha256")


@pytest.mark.parametrize(("name", "document"), DOCUMENTS, ids=[n for n, _ in DOCUMENTS])
def test_the_one_walk_path_makes_the_two_pass_quads(name: str, document: dict[str, Any]) -> None:
    """Where the one-walk path takes a document, its quads are the two-pass path's."""
    from microcred.core.fastrdf.direct import Indirect, direct_quads

    for variant in _variants(document):
        try:
            direct = fastrdf.canonical_nquads(direct_quads(variant), "sha256")[0]
        except (Indirect, fastrdf.Unsupported):
            continue
        two_pass = fastrdf.to_quads(fastrdf.expand_document(variant))
        assert direct == fastrdf.canonical_nquads(two_pass, "sha256")[0]


def test_a_typical_credential_takes_the_one_walk_path() -> None:
    from bench.sign_verify import credentials

    document = credentials(1, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")[0]
    before = fastrdf.stats()
    fastrdf.canonize(document, "sha256")
    after = fastrdf.stats()
    assert {k: v for k, v in after.items() if k.startswith("two passes")} == {
        k: v for k, v in before.items() if k.startswith("two passes")
    }
