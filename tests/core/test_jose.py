"""VC-JOSE: round trips for every key type, tampering, refusals with a clear reason."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.errors import ProofError, ResolutionError
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.core.proofs.jose import sign_vc_jwt, verify_vc_jwt
from microcred.core.proofs.jws import b64url_encode, dump_json, sign_jws

KID = "did:example:issuer#key-1"
SEEDS = {KeyType.ED25519: b"\x01" * 32, KeyType.P256: b"\x02" * 32, KeyType.P384: b"\x03" * 48}
ALGS = {KeyType.ED25519: "EdDSA", KeyType.P256: "ES256", KeyType.P384: "ES384"}
CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:6a6a2f38-4c5e-4d76-9d07-1a52a0f5b0c1",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:example:issuer", "name": "Université Exemple"},
    "validFrom": "2026-01-15T10:00:00Z",
    "credentialSubject": {
        "id": "did:example:learner",
        "achievement": {"name": {"en": "Data literacy", "ro": "Alfabetizare digitală"}},
        "score": 17.5,
        "passed": True,
    },
}
DUPLICATE_ALG = b'{"alg":"EdDSA","alg":"none"}'
NAN_PAYLOAD = b'{"a": NaN}'


def _pair(kt: KeyType) -> KeyPair:
    return KeyPair.from_seed(SEEDS[kt], kt)


def _resolver(key: PublicKey, kid: str = KID) -> Callable[[str], PublicKey]:
    def resolve(requested: str) -> PublicKey:
        if requested != kid:
            raise ResolutionError(f"unknown key {requested}")
        return key

    return resolve


def _b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _parts(token: str) -> list[str]:
    return token.split(".")


@pytest.mark.parametrize("kt", list(KeyType))
def test_round_trip_for_every_key_type(kt: KeyType) -> None:
    pair = _pair(kt)
    token = sign_vc_jwt(CREDENTIAL, pair, KID)
    result = verify_vc_jwt(token, _resolver(pair.public))
    assert result.ok, result.reason
    assert result.header == {"alg": ALGS[kt], "kid": KID, "typ": "vc+jwt", "cty": "vc"}
    assert result.payload == CREDENTIAL
    assert result.document == CREDENTIAL
    assert (result.kind, result.vc11, result.key_id) == ("credential", False, KID)


def test_presentation_round_trip_lists_enveloped_credentials() -> None:
    pair = _pair(KeyType.P256)
    inner = sign_vc_jwt(CREDENTIAL, pair, KID)
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "verifiableCredential": [
            {
                "@context": "https://www.w3.org/ns/credentials/v2",
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{inner}",
            }
        ],
    }
    token = sign_vc_jwt(presentation, pair, KID, typ="vp+jwt")
    result = verify_vc_jwt(token, _resolver(pair.public))
    assert result.ok, result.reason
    assert result.header["cty"] == "vp"
    assert result.kind == "presentation"
    assert [(e.media_type, e.data) for e in result.enveloped] == [("application/vc+jwt", inner)]
    assert verify_vc_jwt(result.enveloped[0].data, _resolver(pair.public)).ok


def test_presentation_with_an_unsecured_credential_is_refused() -> None:
    presentation = {
        "type": "VerifiablePresentation",
        "verifiableCredential": [CREDENTIAL],
    }
    with pytest.raises(ProofError, match="EnvelopedVerifiableCredential"):
        sign_vc_jwt(presentation, _pair(KeyType.ED25519), KID, typ="vp+jwt")


@pytest.mark.parametrize("kt", list(KeyType))
@pytest.mark.parametrize("part", [0, 1, 2])
def test_tampered_header_payload_or_signature_fails(kt: KeyType, part: int) -> None:
    pair = _pair(kt)
    parts = _parts(sign_vc_jwt(CREDENTIAL, pair, KID))
    if part == 0:
        parts[0] = _b64({"alg": ALGS[kt], "kid": KID, "typ": "vc+jwt", "cty": "vc", "x": 1})
    elif part == 1:
        parts[1] = _b64({**CREDENTIAL, "issuer": "did:example:mallory"})
    else:
        signature = bytearray(base64.urlsafe_b64decode(parts[2] + "=="))
        signature[5] ^= 0x01
        parts[2] = _b64(bytes(signature))
    result = verify_vc_jwt(".".join(parts), _resolver(pair.public))
    assert not result.ok
    assert result.reason == "signature does not verify"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_refused(alg: str) -> None:
    token = f"{_b64({'alg': alg, 'typ': 'vc+jwt', 'kid': KID})}.{_b64(CREDENTIAL)}."
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.ED25519).public))
    assert not result.ok
    assert "'none'" in result.reason
    assert result.payload == CREDENTIAL  # returned as received


def test_alg_that_does_not_match_the_key_type_is_refused() -> None:
    p256 = _pair(KeyType.P256)
    token = sign_vc_jwt(CREDENTIAL, p256, KID)
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.P384).public))
    assert not result.ok
    assert "does not match" in result.reason
    assert "ES384" in result.reason


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("not a token", "not a compact JWS"),
        ("a.b.c.d", "not a compact JWS"),
        ("ey!J.eyJ9.c2ln", "base64url"),
        ("eyJhbGciOiJFZERTQSJ9.eyJh.c2ln", "not JSON"),  # payload '{"a' is cut short
        (f"{_b64({'alg': 'EdDSA'})}.{_b64(b'[1, 2]')}.c2ln", "not a JSON object"),
        (f"{_b64({'alg': 'EdDSA'})}=.{_b64(CREDENTIAL)}.c2ln", "base64url"),
        (f"{_b64(DUPLICATE_ALG)}.{_b64(CREDENTIAL)}.c2ln", "duplicate"),
        (f"{_b64({'alg': 'EdDSA'})}.{_b64(NAN_PAYLOAD)}.c2ln", "not valid JSON"),
    ],
)
def test_malformed_tokens_fail_with_a_reason(token: str, reason: str) -> None:
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.ED25519).public))
    assert not result.ok
    assert reason in result.reason


def test_non_text_token_fails_without_raising() -> None:
    result = verify_vc_jwt(b"abc", _resolver(_pair(KeyType.ED25519).public))  # type: ignore[arg-type]
    assert not result.ok
    assert "not text" in result.reason


def test_tokens_over_one_megabyte_are_refused() -> None:
    big = {**CREDENTIAL, "padding": "x" * 1_000_000}
    token = f"{_b64({'alg': 'EdDSA'})}.{_b64(big)}.c2ln"
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.ED25519).public))
    assert not result.ok
    assert "larger than 1000000 bytes" in result.reason


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_over_64_levels_is_refused(depth: int) -> None:
    deep = b'{"a":' + b"[" * depth + b"]" * depth + b"}"
    token = f"{_b64({'alg': 'EdDSA'})}.{_b64(deep)}.c2ln"
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.ED25519).public))
    assert not result.ok
    assert "nested deeper than 64 levels" in result.reason


def test_signing_refuses_deep_or_oversized_documents() -> None:
    deep: Any = "leaf"
    for _ in range(70):
        deep = [deep]
    pair = _pair(KeyType.ED25519)
    with pytest.raises(ProofError, match="nested deeper"):
        sign_vc_jwt({**CREDENTIAL, "deep": deep}, pair, KID)
    with pytest.raises(ProofError, match="larger than"):
        sign_vc_jwt({**CREDENTIAL, "padding": "x" * 1_000_000}, pair, KID)


@pytest.mark.parametrize(
    ("header", "payload", "reason"),
    [
        ({"typ": "bad+typ"}, CREDENTIAL, "unsupported typ"),
        ({"typ": "vc+jwt", "cty": "vp"}, CREDENTIAL, "cty"),
        ({"typ": "vc+jwt"}, {**CREDENTIAL, "vc": {}}, "'vc' and 'vp' must not be present"),
        ({"typ": "vc+jwt"}, {**CREDENTIAL, "type": ["Thing"]}, "type VerifiableCredential"),
        ({"typ": "vc+jwt"}, {**CREDENTIAL, "iss": "did:example:other"}, "iss"),
        ({"typ": "vp+jwt"}, CREDENTIAL, "type VerifiablePresentation"),
        ({}, {"type": "Thing"}, "neither"),
    ],
)
def test_claims_and_media_types_are_checked(
    header: dict[str, Any], payload: dict[str, Any], reason: str
) -> None:
    pair = _pair(KeyType.ED25519)
    token = sign_jws({"kid": KID, **header}, payload, pair)
    result = verify_vc_jwt(token, _resolver(pair.public))
    assert not result.ok
    assert reason in result.reason


def test_typ_is_optional_as_in_the_spec_examples() -> None:
    pair = _pair(KeyType.P384)
    token = sign_jws({"kid": KID}, CREDENTIAL, pair)
    result = verify_vc_jwt(token, _resolver(pair.public))
    assert result.ok, result.reason
    assert result.kind == "credential"


def test_unresolvable_key_is_a_failure_not_an_exception() -> None:
    pair = _pair(KeyType.ED25519)
    token = sign_vc_jwt(CREDENTIAL, pair, "did:example:unknown#k")
    result = verify_vc_jwt(token, _resolver(pair.public))
    assert not result.ok
    assert "not resolved" in result.reason


def test_vc11_jwt_with_key_in_header() -> None:
    pair = _pair(KeyType.P256)
    payload = {"vc": CREDENTIAL, "iss": "did:example:issuer", "jti": CREDENTIAL["id"]}
    token = sign_jws({"typ": "JWT", "jwk": pair.public.to_jwk()}, payload, pair)
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.ED25519).public))
    assert result.ok, result.reason
    assert (result.vc11, result.key_in_header, result.document) == (True, True, CREDENTIAL)


def test_vc11_jwt_with_a_private_key_or_inconsistent_claims_is_refused() -> None:
    pair = _pair(KeyType.P256)
    payload = {"vc": CREDENTIAL, "iss": "did:example:issuer"}
    token = sign_jws({"typ": "JWT", "jwk": pair.private_jwk()}, payload, pair)
    assert "private key" in verify_vc_jwt(token, _resolver(pair.public)).reason
    token = sign_jws({"kid": KID}, {**payload, "iss": "did:example:other"}, pair)
    assert "'iss' does not match" in verify_vc_jwt(token, _resolver(pair.public)).reason


def test_header_jwk_is_not_trusted_for_vc_jwt() -> None:
    attacker = _pair(KeyType.ED25519)
    token = sign_jws(
        {"typ": "vc+jwt", "kid": KID, "jwk": attacker.public.to_jwk()}, CREDENTIAL, attacker
    )
    result = verify_vc_jwt(token, _resolver(_pair(KeyType.P256).public))
    assert not result.ok
    assert not result.key_in_header


@pytest.mark.parametrize(
    ("credential", "typ", "reason"),
    [
        (CREDENTIAL, "vc+sd-jwt", "typ must be"),
        ({"type": "Thing"}, "vc+jwt", "type VerifiableCredential"),
        ({**CREDENTIAL, "vp": {}}, "vc+jwt", "must not be present"),
    ],
)
def test_signing_refuses_what_it_cannot_secure(
    credential: dict[str, Any], typ: str, reason: str
) -> None:
    with pytest.raises(ProofError, match=reason):
        sign_vc_jwt(credential, _pair(KeyType.ED25519), KID, typ=typ)


# --- property: any single-field change of a payload we signed fails ---------------------------

_SIGNED = sign_vc_jwt(CREDENTIAL, _pair(KeyType.ED25519), KID)
_LEAVES: list[tuple[Any, ...]] = []


def _collect(value: Any, path: tuple[Any, ...]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, (*path, index))
    else:
        _LEAVES.append(path)


_collect(CREDENTIAL, ())
_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False)
)


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(_LEAVES), value=_JSON_SCALARS)
def test_any_single_field_change_fails_verification(path: tuple[Any, ...], value: Any) -> None:
    original = CREDENTIAL
    for step in path:
        original = original[step]
    if value == original and type(value) is type(original):
        return
    header, payload, signature = _parts(_SIGNED)
    assert b64url_encode(dump_json(CREDENTIAL)) == payload  # same bytes unless a field changes
    changed = b64url_encode(dump_json(_replace(CREDENTIAL, path, value)))
    result = verify_vc_jwt(
        f"{header}.{changed}.{signature}", _resolver(_pair(KeyType.ED25519).public)
    )
    assert not result.ok
