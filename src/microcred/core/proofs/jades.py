"""JAdES baseline seals (ETSI TS 119 182-1) the way Europass seals EDCs: JWS JSON serialization,
unencoded payload (``b64: false``, RFC 7797), the certificate chain in ``x5c``, its thumbprint in
``x5t#S256``, the claimed signing time in ``sigT``.

* B-B: the signature alone (:func:`seal_jades` without ``timestamp``);
* B-T: plus a signature time-stamp (``sigTst`` in the unprotected ``etsiU`` header, base64url
  JSON as Europass writes it), an RFC 3161 token over the base64url signature value, obtained
  through ``timestamp`` (the adapter that asks the configured time-stamp authority).

Pure: the key, the time and the time-stamp authority are arguments.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from microcred.core.proofs.seal_keys import SealKey

JADES = "jades"  # the name issuance gives this securing method (beside the proof suites)
# digest of the data to time-stamp -> DER RFC 3161 TimeStampToken (a CMS ContentInfo)
TimeStamper = Callable[[bytes], bytes]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _protected(seal: SealKey, signed_at: datetime) -> dict[str, Any]:
    der = [c.public_bytes(serialization.Encoding.DER) for c in seal.chain]
    return {
        "alg": seal.alg,
        "typ": "jose+json",
        "cty": "application/ld+json",
        "x5t#S256": b64url(hashlib.sha256(der[0]).digest()),
        "x5c": [base64.b64encode(d).decode("ascii") for d in der],
        "sigT": signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "b64": False,
        "crit": ["b64", "sigT"],
    }


def _sign(seal: SealKey, data: bytes) -> bytes:
    key = seal.private
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    digest = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "ES512": hashes.SHA512()}
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest[seal.alg])))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def seal_jades(
    payload: str, seal: SealKey, signed_at: datetime, timestamp: TimeStamper | None = None
) -> dict[str, Any]:
    """The sealed document (JWS JSON serialization) of ``payload``, the credential's JSON text.

    The payload is signed as given (never re-serialised): a verifier checks these bytes.
    """
    protected = b64url(json.dumps(_protected(seal, signed_at), separators=(",", ":")).encode())
    signature = b64url(_sign(seal, f"{protected}.{payload}".encode()))
    entry: dict[str, Any] = {"protected": protected, "signature": signature}
    if timestamp is not None:
        token = timestamp(hashlib.sha256(signature.encode("ascii")).digest())
        sig_tst = {"sigTst": {"tstTokens": [{"val": base64.b64encode(token).decode("ascii")}]}}
        entry["header"] = {"etsiU": [b64url(json.dumps(sig_tst).encode())]}
    return {"payload": payload, "signatures": [entry]}


def signature_timestamps(signature: Mapping[str, Any]) -> list[bytes]:
    """The DER tokens of the ``sigTst`` entries of a signature's ``etsiU`` header (base64url
    JSON entries, as Europass writes them, or plain JSON objects); unreadable entries skipped."""
    header = signature.get("header")
    entries = header.get("etsiU") if isinstance(header, Mapping) else None
    found: list[bytes] = []
    for entry in entries if isinstance(entries, list) else []:
        value = _etsi_entry(entry)
        tst = value.get("sigTst") if isinstance(value, Mapping) else None
        tokens = tst.get("tstTokens") if isinstance(tst, Mapping) else None
        for token in tokens if isinstance(tokens, list) else []:
            text = token.get("val") if isinstance(token, Mapping) else None
            if isinstance(text, str):
                try:
                    found.append(base64.b64decode(text, validate=True))
                except ValueError:
                    continue
    return found


def unsigned_certificates(signature: Mapping[str, Any]) -> list[bytes]:
    """DER certificates in the ``xVals`` entries of ``etsiU`` (validation data, B-LT/LTA)."""
    header = signature.get("header")
    entries = header.get("etsiU") if isinstance(header, Mapping) else None
    found: list[bytes] = []
    for entry in entries if isinstance(entries, list) else []:
        value = _etsi_entry(entry)
        values = value.get("xVals") if isinstance(value, Mapping) else None
        for item in values if isinstance(values, list) else []:
            cert = item.get("x509Cert") if isinstance(item, Mapping) else None
            text = cert.get("val") if isinstance(cert, Mapping) else None
            if isinstance(text, str):
                try:
                    found.append(base64.b64decode(text, validate=True))
                except ValueError:
                    continue
    return found


def _etsi_entry(entry: object) -> object:
    if isinstance(entry, Mapping):
        return entry
    if not isinstance(entry, str) or len(entry) > 200_000:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(entry + "=" * (-len(entry) % 4)))
    except ValueError:
        return None
