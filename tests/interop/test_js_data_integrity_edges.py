"""Data Integrity with Digital Bazaar's JS stack beyond one OB 3.0 proof: where stacks diverge.

Canonical forms compared byte for byte (RDFC-1.0 with SHA-256 and with SHA-384 blank-node
hashing, JCS) on generated OB 3.0 and ELM credentials; ``@direction`` (signed as an ``i18n``
datatype, as Digital Bazaar's rdfc suites do); proof sets; ELM (VC 1.1) credentials.

Not tested because the JS stack lacks it: proof chains (``previousProof``): jsonld-signatures
11.6 / data-integrity 2.5 verify a chained proof without its previous proof, so a chain made
by any implementation fails there ("Invalid signature.") while microcred verifies it.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.core.canon import PyldCanonicalizer
from microcred.core.formats.elm_write import to_elm
from microcred.core.formats.ob3 import to_ob3
from microcred.core.jcs import canonicalize
from microcred.core.keys import KeyType
from microcred.core.model import MicroCredential
from microcred.core.proofs.data_integrity import sign_document
from tests.interop.jsstack import (
    CREATED,
    SUITE_KEYS,
    Node,
    batch,
    example_credential,
    js_verified,
    key_for_js,
    our_key,
    ours_verify,
)
from tests.strategies import complete_credentials

pytestmark = [pytest.mark.slow, pytest.mark.interop]

EXAMPLES = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ISSUER = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
ARABIC = {"@value": "شهادة مصغرة في محو الأمية", "@language": "ar", "@direction": "rtl"}
CANONICAL_FORMS = [
    {"algorithm": "RDFC-1.0", "hash": "SHA-256"},
    {"algorithm": "RDFC-1.0", "hash": "SHA-384"},
    {"algorithm": "JCS"},
]


def ours_canonical(document: dict[str, Any], form: dict[str, str]) -> str:
    if form["algorithm"] == "JCS":
        return canonicalize(document).decode("utf-8")
    if form["hash"] == "SHA-384":
        return PyldCanonicalizer("sha384", rdfc_hash="sha384").canonize(document)
    return PyldCanonicalizer().canonize(document)


@EXAMPLES
@given(complete_credentials())
def test_canonical_forms_match_jsonld_js(node: Node, mc: MicroCredential) -> None:
    documents = [to_ob3(mc, issuer_id=ISSUER), to_elm(mc, issuer_id=ISSUER)]
    requests = [
        {"action": "canonize", "document": d, **form} for d in documents for form in CANONICAL_FORMS
    ]
    answers = iter(batch(node, requests))
    for document in documents:
        for form in CANONICAL_FORMS:
            theirs = next(answers)["canonical"]
            ours = ours_canonical(document, form)
            assert ours == theirs, (form, set(ours.splitlines()) ^ set(theirs.splitlines()))


# --- @direction ----------------------------------------------------------------------------


def with_direction(issuer: str) -> dict[str, Any]:
    document = to_ob3(example_credential(), issuer_id=issuer)
    document["description"] = ARABIC
    return document


def flip_direction(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["description"]["@direction"] = "ltr"
    return changed


@pytest.mark.parametrize(("suite", "key_type"), SUITE_KEYS[:3], ids=lambda v: str(v))
def test_direction_is_signed_and_checked_both_ways(
    node: Node, suite: str, key_type: KeyType
) -> None:
    key = our_key(key_type)
    document = with_direction(key.public.did_key)
    ours = sign_document(document, key, key.public.did_key_vm, suite, created=CREATED)
    now = document["validFrom"]
    answers = batch(
        node,
        [
            {"action": "verify", "document": ours, "now": now},
            {"action": "verify", "document": flip_direction(ours), "now": now},
            {"action": "sign", "document": document, "suite": suite, "key": key_for_js(key)},
        ],
    )
    assert js_verified(answers[0]), answers[0]["errors"]
    assert not js_verified(answers[1])
    assert ours_verify(flip_direction(ours)) == [False]
    theirs = answers[2]["document"]
    assert ours_verify(theirs) == [True]
    assert ours_verify(flip_direction(theirs)) == [False]


# --- proof sets ----------------------------------------------------------------------------


def test_proof_sets_verify_both_ways(node: Node) -> None:
    """Several independent proofs on one credential, some added by each side."""
    ed, p256, p384 = (our_key(t) for t in (KeyType.ED25519, KeyType.P256, KeyType.P384))
    document = to_ob3(example_credential(), issuer_id=ed.public.did_key)
    signed = sign_document(document, ed, ed.public.did_key_vm, created=CREATED, proof_id="urn:p:1")
    signed = sign_document(
        signed, p384, p384.public.did_key_vm, "ecdsa-rdfc-2019", created=CREATED, proof_id="urn:p:2"
    )
    signed = sign_document(
        signed, ed, ed.public.did_key_vm, "eddsa-jcs-2022", created=CREATED, proof_id="urn:p:3"
    )
    [checked, added] = batch(
        node,
        [
            {"action": "verify", "document": signed, "mode": "document"},
            {"action": "sign", "document": signed, "suite": "ecdsa-rdfc-2019",
             "key": key_for_js(p256), "mode": "document"},
        ],
    )  # fmt: skip
    assert sorted(p["id"] for p in checked["proofs"]) == ["urn:p:1", "urn:p:2", "urn:p:3"]
    assert js_verified(checked), checked["errors"]
    assert len(added["document"]["proof"]) == 4
    assert ours_verify(added["document"]) == [True] * 4


# --- ELM (VC 1.1 envelope, data-integrity context injected) --------------------------------


def tamper_id(document: dict[str, Any]) -> dict[str, Any]:
    """Another learner."""
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["id"] += "-forged"
    return changed


@pytest.mark.parametrize(("suite", "key_type"), SUITE_KEYS, ids=lambda v: str(v))
def test_elm_credentials_verify_both_ways(node: Node, suite: str, key_type: KeyType) -> None:
    key = our_key(key_type)
    document = to_elm(example_credential(), issuer_id=key.public.did_key)
    ours = sign_document(document, key, key.public.did_key_vm, suite, created=CREATED)
    now = document["issuanceDate"]
    answers = batch(
        node,
        [
            {"action": "verify", "document": ours, "now": now},
            {"action": "verify", "document": tamper_id(ours), "now": now},
            {"action": "sign", "document": document, "suite": suite, "key": key_for_js(key)},
        ],
    )
    assert js_verified(answers[0]), answers[0]["errors"]
    assert not js_verified(answers[1])
    theirs = answers[2]["document"]
    assert ours_verify(theirs) == [True]
    assert ours_verify(tamper_id(theirs)) == [False]
