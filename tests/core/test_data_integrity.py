"""Data Integrity behaviour: any single change to a signed document breaks its proof.

For each signing suite a micro-credential is signed once; then every value, every key and every
proof option is changed in turn (exhaustively, and with hypothesis-drawn replacements).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.did import DidResolver
from microcred.core.errors import InvalidCredential, ProofError
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document, verify_proofs
from microcred.core.proofs.registry import DEFAULT_SUITE, signing_suites, suite_for_key
from microcred.core.proofs.registry import SUITES as REGISTERED

CREATED = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
SUITES = [
    pytest.param("eddsa-rdfc-2022", KeyType.ED25519, id="eddsa-rdfc-2022"),
    pytest.param("ecdsa-rdfc-2019", KeyType.P256, id="ecdsa-rdfc-2019-p256"),
    pytest.param("ecdsa-rdfc-2019", KeyType.P384, id="ecdsa-rdfc-2019-p384"),
    pytest.param("eddsa-jcs-2022", KeyType.ED25519, id="eddsa-jcs-2022"),
    pytest.param("ecdsa-jcs-2019", KeyType.P384, id="ecdsa-jcs-2019-p384"),
]
CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:3f1c2a3e-6d1b-4b55-9a36-2f6c0c9b7e11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "https://university.example/issuers/14",
        "type": ["Profile"],
        "name": "Example University",
    },
    "validFrom": "2026-05-01T00:00:00Z",
    "name": "Data Protection Basics",
    "credentialSubject": {
        "id": "did:example:learner-42",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://university.example/achievements/dp-101",
            "type": ["Achievement"],
            "name": "Data Protection Basics",
            "description": "Applies GDPR principles to everyday data handling.",
            "criteria": {"narrative": "Passed a supervised online exam."},
        },
    },
}
Path = tuple[str | int, ...]


@lru_cache(maxsize=8)
def _key(kt: KeyType) -> KeyPair:
    return KeyPair.generate(kt)


@lru_cache(maxsize=8)
def _signed(suite: str, kt: KeyType) -> dict[str, Any]:
    key = _key(kt)
    return sign_document(
        CREDENTIAL,
        key,
        key.public.did_key_vm,
        suite=suite,
        created=CREATED,
        challenge="c-8d1f",
        domain="verifier.example",
    )


def _ok(document: dict[str, Any]) -> bool:
    results = verify_proofs(document, DidResolver().key_resolver(), "c-8d1f", "verifier.example")
    return bool(results) and all(r.ok for r in results)


def _leaves(value: Any, path: Path = ()) -> Iterator[Path]:
    """Paths of every scalar value (proofValue included: changing it must fail too)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))
    else:
        yield path


def _keys(value: Any, path: Path = ()) -> Iterator[Path]:
    """Paths of every object key."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*path, key)
            yield from _keys(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _keys(child, (*path, index))


def _parent(document: Any, path: Path) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _with_value(signed: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(signed)
    _parent(changed, path)[path[-1]] = value
    return changed


def _renamed(signed: dict[str, Any], path: Path, suffix: str) -> dict[str, Any]:
    changed = copy.deepcopy(signed)
    parent = _parent(changed, path)
    items = list(parent.items())
    parent.clear()
    for key, value in items:
        parent[key + suffix if key == path[-1] else key] = value
    return changed


def test_every_registered_signing_suite_is_put_through_these_tests() -> None:
    covered = {param.values[0] for param in SUITES}
    assert set(signing_suites()) <= covered, "a new suite: add it to SUITES above"


def test_the_registry_is_what_sign_and_verify_know() -> None:
    key = _key(KeyType.ED25519)
    for suite in REGISTERED:
        if not suite.can_sign:
            continue
        pair = _key(min(suite.key_types, key=lambda kt: kt.value))
        signed = sign_document(CREDENTIAL, pair, pair.public.did_key_vm, suite=suite.name)
        assert verify_proofs(signed, DidResolver().key_resolver())[0].suite == suite.name
    with pytest.raises(ProofError, match="cannot sign with cryptosuite 'eddsa-2099'"):
        sign_document(CREDENTIAL, key, key.public.did_key_vm, suite="eddsa-2099")


def test_each_key_type_has_one_default_suite() -> None:
    assert suite_for_key(KeyType.ED25519) == DEFAULT_SUITE == "eddsa-rdfc-2022"
    assert suite_for_key(KeyType.P256) == suite_for_key(KeyType.P384) == "ecdsa-rdfc-2019"
    for kt in KeyType:
        key = _key(kt)
        signed = sign_document(CREDENTIAL, key, key.public.did_key_vm, suite=suite_for_key(kt))
        assert verify_proofs(signed, DidResolver().key_resolver())[0].ok


@pytest.mark.parametrize(("suite", "kt"), SUITES)
def test_signed_document_verifies(suite: str, kt: KeyType) -> None:
    signed = _signed(suite, kt)
    assert _ok(signed)
    assert signed["proof"]["challenge"] == "c-8d1f"
    assert signed["proof"]["created"] == "2026-05-04T10:30:00Z"


@pytest.mark.parametrize(("suite", "kt"), SUITES)
def test_every_value_and_key_change_breaks_the_proof(suite: str, kt: KeyType) -> None:
    signed = _signed(suite, kt)
    for path in _leaves(signed):
        original = _parent(signed, path)[path[-1]]
        changed = _with_value(signed, path, f"{original}x")
        assert not _ok(changed), f"changing {path} was not detected"
    for path in _keys(signed):
        assert not _ok(_renamed(signed, path, "x")), f"renaming key {path} was not detected"


@pytest.mark.parametrize(("suite", "kt"), SUITES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_single_field_change_breaks_the_proof(suite: str, kt: KeyType, data: Any) -> None:
    signed = _signed(suite, kt)
    if data.draw(st.booleans(), label="rename key"):
        path = data.draw(st.sampled_from(list(_keys(signed))), label="key")
        suffix = data.draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1))
        changed = _renamed(signed, path, suffix)
    else:
        path = data.draw(st.sampled_from(list(_leaves(signed))), label="value")
        original = _parent(signed, path)[path[-1]]
        replacement = data.draw(
            st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none())
        )
        if replacement == original:
            replacement = f"{original}!"
        changed = _with_value(signed, path, replacement)
    assert not _ok(changed)


def test_proof_set_each_proof_checked_independently() -> None:
    first = _signed("eddsa-rdfc-2022", KeyType.ED25519)
    other = _key(KeyType.P256)
    both = sign_document(
        first,
        other,
        other.public.did_key_vm,
        suite="ecdsa-rdfc-2019",
        challenge="c-8d1f",
        domain="verifier.example",
    )
    assert _ok(both)
    assert isinstance(both["proof"], list)
    assert len(both["proof"]) == 2
    both["proof"][0]["proofValue"] = both["proof"][1]["proofValue"]
    results = verify_proofs(both, DidResolver().key_resolver(), "c-8d1f", "verifier.example")
    assert [(r.suite, r.ok) for r in results] == [
        ("eddsa-rdfc-2022", False),
        ("ecdsa-rdfc-2019", True),
    ]


def test_challenge_domain_and_purpose_are_enforced() -> None:
    signed = _signed("eddsa-rdfc-2022", KeyType.ED25519)
    resolve = DidResolver().key_resolver()
    [replayed] = verify_proofs(signed, resolve, expected_challenge="another")
    assert not replayed.ok
    assert "challenge does not match" in replayed.reason
    [wrong_domain] = verify_proofs(signed, resolve, expected_domain="evil.example")
    assert "not 'evil.example'" in wrong_domain.reason
    [wrong_purpose] = verify_proofs(signed, resolve, expected_purpose="authentication")
    assert "expected authentication" in wrong_purpose.reason


def test_unknown_suites_and_broken_proofs_give_reasons_not_exceptions() -> None:
    signed = copy.deepcopy(_signed("eddsa-rdfc-2022", KeyType.ED25519))
    resolve = DidResolver().key_resolver()
    cases = {
        "unsupported cryptosuite 'bbs-2023'": {"cryptosuite": "bbs-2023"},
        "no proofValue": {"proofValue": None},
        "not base58btc": {"proofValue": "uAAAA"},
        "not a date and time": {"created": "yesterday"},
        "is not a valid did:key": {"verificationMethod": "did:key:zBAD#zBAD"},
        "cannot be verified with a p256 key": {
            "verificationMethod": _key(KeyType.P256).public.did_key_vm
        },
    }
    for reason, change in cases.items():
        document = copy.deepcopy(signed)
        document["proof"].update(change)
        [result] = verify_proofs(document, resolve)
        assert not result.ok
        assert reason in result.reason
    [result] = verify_proofs({**signed, "proof": "nonsense"}, resolve)
    assert (result.ok, result.reason) == (False, "the proof is not a JSON object")


def test_created_must_be_aware_and_is_written_in_utc() -> None:
    key = _key(KeyType.ED25519)
    with pytest.raises(ProofError, match="timezone-aware"):
        sign_document(CREDENTIAL, key, key.public.did_key_vm, created=datetime(2026, 1, 1))
    cet = timezone(timedelta(hours=1))
    signed = sign_document(
        CREDENTIAL, key, key.public.did_key_vm, created=datetime(2026, 1, 1, 1, tzinfo=cet)
    )
    assert signed["proof"]["created"] == "2026-01-01T00:00:00Z"
    assert "created" not in sign_document(CREDENTIAL, key, key.public.did_key_vm)["proof"]


def test_signing_does_not_touch_the_input() -> None:
    before = copy.deepcopy(CREDENTIAL)
    _signed.cache_clear()
    _signed("eddsa-jcs-2022", KeyType.ED25519)
    assert before == CREDENTIAL


def test_an_added_undefined_property_is_not_silently_unsigned() -> None:
    key = _key(KeyType.ED25519)
    document = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    signed = sign_document(document, key, key.public.did_key_vm)
    assert _ok_plain(signed)
    signed["credentialSubject"]["grade"] = "A+"  # VC 1.1 has no @vocab: RDF would drop it
    [result] = verify_proofs(signed, DidResolver().key_resolver())
    assert not result.ok
    assert "'grade' is not defined" in result.reason
    with pytest.raises(InvalidCredential, match="grade"):
        sign_document(signed, key, key.public.did_key_vm)


def test_data_integrity_context_is_injected_when_nothing_defines_the_proof_terms() -> None:
    key = _key(KeyType.ED25519)
    v1 = "https://www.w3.org/2018/credentials/v1"
    document = {
        "@context": [v1],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    signed = sign_document(document, key, key.public.did_key_vm)
    assert signed["@context"] == [v1, "https://w3id.org/security/data-integrity/v2"]
    assert document["@context"] == [v1]
    assert _ok_plain(signed)
    # a second proof must not change @context under the first one
    bare = {**signed, "@context": [v1]}
    with pytest.raises(InvalidCredential, match="'cryptosuite' is not defined"):
        sign_document(bare, key, key.public.did_key_vm)
    assert _signed("eddsa-rdfc-2022", KeyType.ED25519)["@context"] == CREDENTIAL["@context"]


def _ok_plain(document: dict[str, Any]) -> bool:
    return all(r.ok for r in verify_proofs(document, DidResolver().key_resolver()))
