"""Compact JWS (RFC 7515) through joserfc: the boundary between joserfc and microcred.

joserfc (Authlib's JOSE library) extracts, signs and verifies. What a reader of untrusted
tokens needs on top of it is added here, once, for VC-JOSE, SD-JWT, KB-JWT and OID4VCI proofs:

- an explicit algorithm allowlist, :data:`ACCEPTED_ALGS`: EdDSA (and RFC 9864's ``Ed25519``),
  ES256, ES384; ``none``, shared-secret MACs (``HS*``) and RSA (``RS*``, ``PS*``) are refused
  with a reason (:func:`alg_refusal`);
- JSON read with repeated keys, NaN and Infinity refused (joserfc reads the header with
  ``json.loads``, where the last of two equal keys wins) and nesting bounded;
- bounded sizes (tokens over 1 MB are refused); ``crit`` extensions and RFC 7797 unencoded
  payloads are refused, as nothing here understands them;
- one-sentence reasons (:class:`ProofError`), never a joserfc exception.

Keys cross the boundary here too: :class:`KeyPair` and :class:`PublicKey` become joserfc keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc import jws
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwa import JWSAlgModel
from joserfc.jwk import ECKey, OKPKey
from joserfc.util import urlsafe_b64decode, urlsafe_b64encode

from microcred.core.errors import InputTooLarge, ProofError
from microcred.core.formats.reading import DuplicateKey, check_depth, loads_strict
from microcred.core.keys import KeyPair, PublicKey

MAX_TOKEN_BYTES = 1_000_000
MAX_JSON_DEPTH = 64
ACCEPTED_ALGS = ("EdDSA", "Ed25519", "ES256", "ES384")
# RFC 9864 fully-specified name for EdDSA over Ed25519 (joserfc recommends it): accepted when
# verifying; we still sign with "EdDSA", which every verifier knows.
_FULLY_SPECIFIED = {"Ed25519": "EdDSA"}
_CryptographyKey = (
    ed25519.Ed25519PublicKey
    | ed25519.Ed25519PrivateKey
    | ec.EllipticCurvePublicKey
    | ec.EllipticCurvePrivateKey
)


class _Registry(jws.JWSRegistry):
    """joserfc's JWS registry limited to :data:`ACCEPTED_ALGS`, with microcred's size bounds."""

    max_header_length = 16_384
    max_payload_length = MAX_TOKEN_BYTES

    def get_alg(self, name: str) -> JWSAlgModel:
        # joserfc would warn on each use of "EdDSA" (deprecated by RFC 9864 for "Ed25519"):
        # it is accepted here on purpose, as the name every verifier of our tokens knows.
        reason = alg_refusal(name)
        if reason:
            raise UnsupportedAlgorithmError(reason)
        return self.algorithms[name]


_REGISTRY = _Registry(algorithms=ACCEPTED_ALGS, strict_check_header=False)

# --- encodings ------------------------------------------------------------------------------


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 7515 section 2)."""
    return urlsafe_b64encode(data).decode("ascii")


def b64url_decode(value: str, what: str = "value") -> bytes:
    """Strict base64url (no padding, no whitespace, canonical); raises ProofError."""
    try:
        return urlsafe_b64decode(value.encode("ascii"))
    except (UnicodeEncodeError, ValueError):
        raise ProofError(f"{what} is not valid base64url") from None


def load_json(data: bytes, what: str) -> Any:
    """UTF-8 JSON with repeated keys, NaN and Infinity refused, depth bounded; ProofError."""
    try:
        value = loads_strict(data.decode("utf-8"))
        check_depth(value, MAX_JSON_DEPTH)
    except DuplicateKey as exc:
        raise ProofError(f"{what} is malformed: duplicate JSON key {exc.key[:80]!r}") from None
    except (RecursionError, InputTooLarge):
        raise ProofError(f"{what} is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except UnicodeDecodeError:
        raise ProofError(f"{what} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
        raise ProofError(f"{what} is not JSON: {where}") from None
    except ValueError as exc:
        raise ProofError(f"{what} is not valid JSON: {exc}") from None
    return value


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON as we sign it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def numeric_date_text(stamp: float) -> str:
    """A JWT NumericDate as ISO 8601 UTC; the number itself when no calendar date has it."""
    try:
        when = datetime.fromtimestamp(stamp, UTC)
    except (OverflowError, ValueError, OSError):
        return f"{stamp} seconds after 1970"
    return when.isoformat().replace("+00:00", "Z")


def _json_object(segment: str, what: str) -> dict[str, Any]:
    value = load_json(b64url_decode(segment, what), what)
    if not isinstance(value, dict):
        raise ProofError(f"{what} is not a JSON object")
    return value


# --- algorithms and keys --------------------------------------------------------------------


def alg_refusal(alg: object) -> str | None:
    """Why a JWS ``alg`` is not accepted, or None for one of :data:`ACCEPTED_ALGS`."""
    if alg in ACCEPTED_ALGS:
        return None
    accepted = f"(accepted: {', '.join(ACCEPTED_ALGS)})"
    if not isinstance(alg, str) or not alg:
        return "the JWS header has no 'alg'"
    if alg.lower() == "none":
        return f"alg 'none' (an unsecured JWS, no signature) is not accepted {accepted}"
    if alg.upper().startswith("HS"):
        return f"alg {alg!r} is a shared-secret MAC, not a signature: not accepted {accepted}"
    if alg.upper().startswith(("RS", "PS")):
        return f"alg {alg!r} signs with an RSA key, which is not accepted {accepted}"
    return f"unsupported alg {alg[:40]!r} {accepted}"


def check_alg(header: Mapping[str, Any]) -> str | None:
    """Reason why the header's ``alg`` is unacceptable, or None."""
    return alg_refusal(header.get("alg"))


def _joserfc_key(raw: _CryptographyKey) -> OKPKey | ECKey:
    if isinstance(raw, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey):
        return OKPKey.import_key(raw)
    return ECKey.import_key(raw)


@lru_cache(maxsize=256)
def joserfc_public_key(key: PublicKey) -> OKPKey | ECKey:
    """The joserfc form of a public key (it verifies); cached, as joserfc derives its JWK."""
    return _joserfc_key(key.to_cryptography())


# Signing keys are remembered only while their KeyPair lives, so no private key lingers here.
_SIGNING_KEYS: WeakKeyDictionary[KeyPair, OKPKey | ECKey] = WeakKeyDictionary()


def joserfc_private_key(pair: KeyPair) -> OKPKey | ECKey:
    """The joserfc form of a key pair (it signs)."""
    key = _SIGNING_KEYS.get(pair)
    if key is None:
        key = _SIGNING_KEYS[pair] = _joserfc_key(pair.to_cryptography())
    return key


def _describe(exc: Exception) -> str:
    text = exc.description if isinstance(exc, JoseError) and exc.description else str(exc)
    return text[:200] or type(exc).__name__


# --- compact JWS ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Jws:
    """A parsed compact JWS; ``header`` and ``payload`` are the JSON objects as received."""

    header: dict[str, Any]
    payload: dict[str, Any]
    compact: jws.CompactSignature = field(repr=False, compare=False)


def _check_header(header: Mapping[str, Any], what: str) -> None:
    if "crit" in header:
        raise ProofError(f"{what} header marks parameters as critical ('crit'): none is supported")
    if header.get("b64", True) is not True:
        raise ProofError(f"{what} has an unencoded payload (RFC 7797 'b64'): not accepted")


def parse_jws(token: str, what: str = "JWS") -> Jws:
    """Split and decode a compact JWS whose header and payload are JSON objects; ProofError.

    Each part is decoded once, here; joserfc gets the decoded parts to check the signature
    with. The signature is not checked: see :func:`check_signature`.
    """
    data = token.strip()
    if len(data.encode("utf-8")) > MAX_TOKEN_BYTES:
        raise ProofError(f"{what} is larger than {MAX_TOKEN_BYTES} bytes")
    segments = data.split(".")
    if len(segments) != 3:
        raise ProofError(f"{what} is not a compact JWS (expected 3 parts separated by '.')")
    header = _json_object(segments[0], f"{what} header")
    _check_header(header, what)
    if "alg" not in header:
        raise ProofError(f"{what} header has no 'alg'")
    payload_bytes = b64url_decode(segments[1], f"{what} payload")
    b64url_decode(segments[2], f"{what} signature")
    payload = load_json(payload_bytes, f"{what} payload")
    if not isinstance(payload, dict):
        raise ProofError(f"{what} payload is not a JSON object")
    return Jws(header, payload, _compact(header, payload_bytes, segments, what))


def _compact(
    header: dict[str, Any], payload: bytes, segments: list[str], what: str
) -> jws.CompactSignature:
    """joserfc's form of the already decoded JWS, within the registry's size bounds."""
    header_segment, payload_segment, signature_segment = (s.encode("ascii") for s in segments)
    try:
        _REGISTRY.validate_header_size(header_segment)
        _REGISTRY.validate_payload_size(payload_segment)
        _REGISTRY.validate_signature_size(signature_segment)
    except JoseError as exc:
        raise ProofError(f"{what} is not a valid JWS: {_describe(exc)}") from None
    compact = jws.CompactSignature(dict(header), payload)
    compact.segments["header"] = header_segment
    compact.segments["payload"] = payload_segment
    compact.segments["signature"] = signature_segment
    return compact


def check_signature(parsed: Jws, key: PublicKey) -> str | None:
    """Reason why the JWS signature is not valid under ``key``, or None."""
    alg = parsed.header.get("alg")
    if not isinstance(alg, str) or _FULLY_SPECIFIED.get(alg, alg) != key.jws_alg:
        return f"alg {alg!r} does not match the {key.type.value} key (which signs {key.jws_alg})"
    try:
        valid = jws.validate_compact(parsed.compact, joserfc_public_key(key), registry=_REGISTRY)
    except (JoseError, ValueError, TypeError) as exc:
        return f"the JWS cannot be checked: {_describe(exc)}"
    return None if valid else "signature does not verify"


def sign_jws(header: Mapping[str, Any], payload: Mapping[str, Any], key_pair: KeyPair) -> str:
    """Compact JWS over ``payload``; ``alg`` is set from the key."""
    protected = {"alg": key_pair.public.jws_alg, **{k: v for k, v in header.items() if k != "alg"}}
    try:
        return jws.serialize_compact(
            protected, dump_json(payload), joserfc_private_key(key_pair), registry=_REGISTRY
        )
    except (JoseError, ValueError) as exc:
        raise ProofError(f"cannot sign: {_describe(exc)}") from None
