"""Compact JWS (RFC 7515) on ``cryptography``: strict base64url, bounded JSON, sign and check.

Shared by :mod:`.jose` (VC-JOSE) and :mod:`.sd_jwt`. Algorithms: EdDSA, ES256, ES384 through
:mod:`microcred.core.keys`; RS256 only through :func:`check_rsa_signature` with an RSA JWK.
Inputs are bounded: tokens over 1 MB and JSON nested over 64 levels are refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from microcred.core.errors import ProofError
from microcred.core.keys import KeyPair, PublicKey

MAX_TOKEN_BYTES = 1_000_000
MAX_JSON_DEPTH = 64
SUPPORTED_ALGS = frozenset({"EdDSA", "Ed25519", "ES256", "ES384"})
# RFC 9864 fully-specified name for EdDSA over Ed25519 (joserfc and jwcrypto sign with it):
# accepted when verifying; we still sign with "EdDSA", which every verifier knows.
_FULLY_SPECIFIED = {"Ed25519": "EdDSA"}
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")

# --- encodings ------------------------------------------------------------------------------


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str, what: str = "value") -> bytes:
    """Strict base64url: no padding, no whitespace, canonical; raises ProofError."""
    if not _B64URL.match(value) or len(value) % 4 == 1:
        raise ProofError(f"{what} is not valid base64url")
    try:
        data = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ProofError(f"{what} is not valid base64url") from exc
    if b64url_encode(data) != value:
        raise ProofError(f"{what} is not canonical base64url")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ProofError(f"duplicate JSON member {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ProofError(f"{name} is not valid JSON")


def json_depth(value: Any) -> int:
    """Nesting depth of a JSON value (scalars are 0), computed without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            stack.append((child, depth + 1))
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
    return deepest


def load_json(data: bytes, what: str) -> Any:
    """Parse UTF-8 JSON with duplicate members refused and depth bounded; raises ProofError."""
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
        )
    except RecursionError as exc:
        raise ProofError(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProofError(f"{what} is not JSON: {exc}") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ProofError(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON as we sign it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


# --- compact JWS ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Jws:
    """A parsed compact JWS; ``header`` and ``payload`` are the JSON objects as received."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)


def parse_jws(token: str, what: str = "JWS") -> Jws:
    """Split and decode a compact JWS whose header and payload are JSON objects."""
    if len(token.encode("utf-8")) > MAX_TOKEN_BYTES:
        raise ProofError(f"{what} is larger than {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ProofError(f"{what} is not a compact JWS (expected 3 parts separated by '.')")
    header = load_json(b64url_decode(parts[0], f"{what} header"), f"{what} header")
    payload = load_json(b64url_decode(parts[1], f"{what} payload"), f"{what} payload")
    if not isinstance(header, dict):
        raise ProofError(f"{what} header is not a JSON object")
    if not isinstance(payload, dict):
        raise ProofError(f"{what} payload is not a JSON object")
    signature = b64url_decode(parts[2], f"{what} signature")
    return Jws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def sign_jws(header: Mapping[str, Any], payload: Mapping[str, Any], key_pair: KeyPair) -> str:
    """Compact JWS over ``payload``; ``alg`` is set from the key."""
    protected = {"alg": key_pair.public.jws_alg, **{k: v for k, v in header.items() if k != "alg"}}
    signing_input = f"{b64url_encode(dump_json(protected))}.{b64url_encode(dump_json(payload))}"
    signature = key_pair.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def check_alg(header: Mapping[str, Any], extra: frozenset[str] = frozenset()) -> str | None:
    """Reason why the header's ``alg`` is unacceptable, or None."""
    alg = header.get("alg")
    if not isinstance(alg, str):
        return "JWS header has no 'alg'"
    if alg.lower() == "none":
        return "alg 'none' (unsecured JWS) is not accepted"
    if alg not in SUPPORTED_ALGS | extra:
        return f"unsupported alg {alg!r} (expected one of {', '.join(sorted(SUPPORTED_ALGS))})"
    return None


def check_signature(jws: Jws, key: PublicKey) -> str | None:
    """Reason why the JWS signature is not valid under ``key``, or None."""
    alg = jws.header.get("alg")
    if (_FULLY_SPECIFIED.get(alg, alg) if isinstance(alg, str) else alg) != key.jws_alg:
        return f"alg {alg!r} does not match the {key.type.value} key (which signs {key.jws_alg})"
    if not key.verify(jws.signature, jws.signing_input):
        return "signature does not verify"
    return None


def check_rsa_signature(jwk: Mapping[str, Any], jws: Jws) -> str | None:
    """RS256 check against a public RSA JWK (2048 bits or more); reason or None."""
    try:
        n = int.from_bytes(b64url_decode(str(jwk.get("n", "")), "JWK 'n'"), "big")
        e = int.from_bytes(b64url_decode(str(jwk.get("e", "")), "JWK 'e'"), "big")
        public = rsa.RSAPublicNumbers(e, n).public_key()
    except (ProofError, ValueError) as exc:
        return f"invalid RSA key in JWS header: {exc}"
    if public.key_size < 2048:
        return f"RSA key of {public.key_size} bits is too small (2048 required)"
    try:
        public.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return "signature does not verify"
    return None
