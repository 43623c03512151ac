"""The JOSE boundary (core/proofs/jws.py on joserfc): allowlist, strict JSON, refused headers.

Every token here is refused with a one-sentence reason by ``verify_vc_jwt``, by the SD-JWT
verifier for its issuer-signed JWT and its KB-JWT (and JAdES seals by ``verify``); none raises.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import OctKey, RSAKey

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.errors import ResolutionError
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.core.proofs.jose import sign_vc_jwt, verify_vc_jwt
from microcred.core.proofs.jws import ACCEPTED_ALGS, b64url_encode
from microcred.core.proofs.sd_jwt import KeyBindingPolicy, issue_sd_jwt, verify_sd_jwt
from microcred.core.verify import verify

KID = "did:example:issuer#key-1"
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
ISSUER = KeyPair.from_seed(b"\x21" * 32)
HOLDER = KeyPair.from_seed(b"\x22" * 32, KeyType.P256)
CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:learner", "name": "Ana"},
}
SD_CLAIMS = {"vct": "https://example.org/vct", "iss": "did:example:issuer", "name": "Ana"}


def _resolve(requested: str) -> PublicKey:
    if requested != KID:
        raise ResolutionError(f"unknown key {requested}")
    return ISSUER.public


def _b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return b64url_encode(raw)


def _signed_by_hand(header: dict[str, Any] | bytes, payload: dict[str, Any] | bytes) -> str:
    """A JWS whose signing input we write ourselves, signed with the issuer's Ed25519 key."""
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    return f"{signing_input}.{b64url_encode(ISSUER.sign(signing_input.encode()))}"


def _hs256_keyed_with_the_public_key(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """The classic algorithm-confusion forgery: an HMAC keyed with the issuer's public key."""
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    mac = hmac.new(ISSUER.public.raw_bytes, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url_encode(mac)}"


def _sd_jwt_with_issuer_jwt(jwt: str) -> str:
    return f"{jwt}~"


def _verify_sd(token: str, policy: KeyBindingPolicy | None = None) -> Any:
    return verify_sd_jwt(token, resolve_key=_resolve, now=NOW, key_binding=policy)


def test_the_allowlist_is_exactly_eddsa_ed25519_es256_es384() -> None:
    assert ACCEPTED_ALGS == ("EdDSA", "Ed25519", "ES256", "ES384")


@pytest.mark.parametrize(
    ("alg", "words"),
    [
        ("none", "'none' (an unsecured JWS"),
        ("HS256", "shared-secret MAC"),
        ("HS512", "shared-secret MAC"),
        ("RS256", "RSA key"),
        ("PS384", "RSA key"),
        ("ES512", "unsupported alg 'ES512'"),
        ("ES256K", "unsupported alg 'ES256K'"),
        ("Ed448", "unsupported alg 'Ed448'"),
    ],
)
def test_algorithms_outside_the_allowlist_are_refused_with_the_reason(alg: str, words: str) -> None:
    header = {"alg": alg, "kid": KID, "typ": "vc+jwt"}
    result = verify_vc_jwt(_signed_by_hand(header, CREDENTIAL), _resolve)
    assert not result.ok
    assert words in result.reason
    assert "accepted: EdDSA, Ed25519, ES256, ES384" in result.reason
    assert result.document == CREDENTIAL  # the credential is still read, only its proof fails
    sd = _verify_sd(
        _sd_jwt_with_issuer_jwt(_signed_by_hand({**header, "typ": "dc+sd-jwt"}, SD_CLAIMS))
    )
    assert not sd.ok
    assert not sd.authentic
    assert words in sd.reason


def test_an_hs256_token_keyed_with_the_issuers_public_key_is_refused() -> None:
    header = {"alg": "HS256", "kid": KID, "typ": "vc+jwt"}
    result = verify_vc_jwt(_hs256_keyed_with_the_public_key(header, CREDENTIAL), _resolve)
    assert not result.ok
    assert "shared-secret MAC" in result.reason


def test_tokens_joserfc_makes_with_refused_algorithms_are_refused() -> None:
    """joserfc itself would sign these when asked; our allowlist does not let them through."""
    rsa = RSAKey.generate_key(2048)
    secret = OctKey.import_key(ISSUER.public.raw_bytes)
    for alg, key in (("RS256", rsa), ("PS256", rsa), ("HS256", secret)):
        header = {"alg": alg, "kid": KID, "typ": "vc+jwt"}
        token = jws.serialize_compact(header, json.dumps(CREDENTIAL), key, algorithms=[alg])
        result = verify_vc_jwt(token, _resolve)
        assert not result.ok
        assert f"'{alg}'" in result.reason


def test_a_kb_jwt_outside_the_allowlist_is_refused() -> None:
    issued = issue_sd_jwt(
        SD_CLAIMS,
        issuer_key=ISSUER,
        kid=KID,
        disclosable=[("name",)],
        random_bytes=lambda n: hashlib.sha256(b"salt").digest()[:n],
        holder_key=HOLDER.public,
    )
    kb = {"iat": int(NOW.timestamp()), "aud": "https://v.example", "nonce": "n", "sd_hash": "x"}
    forged = f"{_b64({'alg': 'HS256', 'typ': 'kb+jwt'})}.{_b64(kb)}.{_b64(b'mac')}"
    result = _verify_sd(issued + forged, KeyBindingPolicy("https://v.example", "n"))
    assert not result.ok
    assert "KB-JWT: alg 'HS256' is a shared-secret MAC" in result.reason


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ({"alg": "EdDSA", "kid": KID, "crit": ["exp"], "exp": 1}, "critical ('crit')"),
        ({"alg": "EdDSA", "kid": KID, "crit": 7}, "critical ('crit')"),
        ({"alg": "EdDSA", "kid": KID, "b64": False}, "unencoded payload"),
        ({"alg": "EdDSA", "kid": KID, "b64": False, "crit": ["b64"]}, "critical ('crit')"),
        ({"kid": KID}, "has no 'alg'"),
        ({"alg": "EdDSA", "kid": KID, "x5c": "not a list"}, "cannot be checked"),
        ({"alg": "EdDSA", "kid": KID, "pad": "x" * 20_000}, "exceeds"),
    ],
)
def test_headers_nothing_here_understands_are_refused(header: dict[str, Any], words: str) -> None:
    result = verify_vc_jwt(_signed_by_hand(header, CREDENTIAL), _resolve)
    assert not result.ok
    assert words in result.reason


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        (b'{"alg":"EdDSA","kid":"' + KID.encode() + b'","kid":"did:example:other#k"}', CREDENTIAL),
        (
            {"alg": "EdDSA", "kid": KID},
            b'{"type":"VerifiableCredential","issuer":"a","issuer":"b"}',
        ),
    ],
)
def test_a_json_key_written_twice_is_refused_even_when_signed(
    header: dict[str, Any] | bytes, payload: dict[str, Any] | bytes
) -> None:
    result = verify_vc_jwt(_signed_by_hand(header, payload), _resolve)
    assert not result.ok
    assert "duplicate JSON key" in result.reason


def test_a_disclosure_with_a_json_key_written_twice_is_refused() -> None:
    issued = issue_sd_jwt(
        SD_CLAIMS, issuer_key=ISSUER, kid=KID, disclosable=[], random_bytes=lambda n: b"\x01" * n
    )
    twice = b64url_encode(b'["c2FsdHNhbHRzYWx0", "name", {"a": 1, "a": 2}]')
    result = _verify_sd(issued + twice + "~")
    assert not result.ok
    assert "duplicate JSON key 'a'" in result.reason


def test_junk_where_a_kb_jwt_goes_is_refused_even_when_key_binding_is_not_asked() -> None:
    issued = issue_sd_jwt(
        SD_CLAIMS, issuer_key=ISSUER, kid=KID, disclosable=[], random_bytes=lambda n: b"\x01" * n
    )
    assert _verify_sd(issued).ok
    result = _verify_sd(issued + "junk")
    assert not result.ok
    assert "KB-JWT is not a compact JWS" in result.reason


def test_eddsa_and_ed25519_both_verify_without_a_warning() -> None:
    """joserfc warns on "EdDSA" (RFC 9864); we sign with it on purpose (pytest: warnings fail)."""
    token = sign_vc_jwt(CREDENTIAL, ISSUER, KID)
    assert verify_vc_jwt(token, _resolve).ok
    renamed = {"alg": "Ed25519", "kid": KID, "typ": "vc+jwt"}
    assert verify_vc_jwt(_signed_by_hand(renamed, CREDENTIAL), _resolve).ok
    assert not verify_vc_jwt(_signed_by_hand(renamed, {**CREDENTIAL, "x": 1}) + "A", _resolve).ok


# --- JAdES seals (JWS JSON serialization, verification/jades.py) read JSON as strictly ---------


@pytest.mark.parametrize(
    ("protected", "words"),
    [
        ({"alg": "RS256", "crit": 7}, "'crit' is not a list of names"),
        ({"alg": "RS256", "crit": [{"a": 1}]}, "'crit' is not a list of names"),
        (b'{"alg":"RS256","alg":"ES256"}', "the key 'alg' appears twice"),
        (b"[1]", "not a JSON object"),
        (b"{" * 5000, "not JSON"),
    ],
)
def test_a_jades_header_that_cannot_be_read_is_refused_with_a_reason(
    protected: dict[str, Any] | bytes, words: str
) -> None:
    sealed = {"payload": _b64(CREDENTIAL), "signatures": [{"protected": _b64(protected)}]}
    fetch = DocumentMap({})
    report = verify(sealed, resolver=DidResolver(fetch), fetch_document=fetch, now=NOW)
    assert not report.verified
    assert words in report.named("format")[0].detail
