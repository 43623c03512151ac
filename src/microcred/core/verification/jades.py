"""EDC credentials sealed with JAdES (JWS JSON serialization, ``x5c`` certificate, ``b64:false``).

The seal's signature is checked against the certificate it carries (and ``x5t#S256`` against
that certificate): the ``proof`` check. Then :mod:`.seal_checks` judges its signature time-stamp
(``seal-timestamp``), its certificate chain (``seal-chain``) and whether the chain ends on a
trust anchor of the configured trust list (``seal-trust``); the ``issuer`` check holds only
when it does. The content time-stamp (``adoTst``) and archive time-stamps are not checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from microcred.core.errors import MicrocredError, ProofError
from microcred.core.formats.reading import DuplicateKey, loads_strict
from microcred.core.proofs.jades import unsigned_certificates
from microcred.core.verification.checks import form_checks, issuer_id
from microcred.core.verification.context import Context
from microcred.core.verification.report import Check, Report, failed, ok, unreadable
from microcred.core.verification.seal_checks import seal_checks
from microcred.core.verification.shared import credential_report

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "256": hashes.SHA256(),
    "384": hashes.SHA384(),
    "512": hashes.SHA512(),
}
MAX_CARRIED = 20  # certificates read from one seal (x5c and xVals)
_KNOWN_CRIT = frozenset({"b64", "sigT", "adoTst", "sigD", "x5t#S256"})


def is_jades(document: Mapping[str, Any]) -> bool:
    """A JWS JSON serialization: ``payload`` text and a list of ``signatures``."""
    return isinstance(document.get("payload"), str) and isinstance(document.get("signatures"), list)


def _b64url(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise ProofError(f"{what} is not base64url text")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ProofError(f"{what} is not base64url") from exc


def _json(data: bytes, what: str) -> Any:
    try:
        return loads_strict(data)
    except DuplicateKey as exc:
        raise ProofError(
            f"the {what} is malformed: the key {exc.key[:80]!r} appears twice"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ProofError(f"the {what} is not JSON") from exc


def _header(signature: Mapping[str, Any]) -> dict[str, Any]:
    header = _json(_b64url(signature.get("protected"), "protected header"), "protected header")
    if not isinstance(header, dict):
        raise ProofError("the protected header is not a JSON object")
    crit = header.get("crit", [])
    if not isinstance(crit, list) or not all(isinstance(name, str) for name in crit):
        raise ProofError("the protected header's 'crit' is not a list of names")
    unknown = set(crit) - _KNOWN_CRIT
    if unknown:
        raise ProofError(f"critical header parameters not understood: {', '.join(sorted(unknown))}")
    return header


def _certificate(header: Mapping[str, Any]) -> x509.Certificate:
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise ProofError("the seal carries no x5c certificate")
    try:
        der = base64.b64decode(chain[0], validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as exc:
        raise ProofError("the x5c certificate cannot be read") from exc
    thumbprint = header.get("x5t#S256")
    if thumbprint is not None and _b64url(thumbprint, "x5t#S256") != hashlib.sha256(der).digest():
        raise ProofError("x5t#S256 does not match the x5c certificate")
    return certificate


def _check_signature(
    header: Mapping[str, Any], certificate: x509.Certificate, data: bytes, signature: bytes
) -> None:
    alg = str(header.get("alg", ""))
    digest = _HASHES.get(alg[2:])
    key = certificate.public_key()
    try:
        if alg[:2] in ("RS", "PS") and digest and isinstance(key, rsa.RSAPublicKey):
            pad = (
                padding.PKCS1v15()
                if alg.startswith("RS")
                else padding.PSS(padding.MGF1(digest), padding.PSS.DIGEST_LENGTH)
            )
            key.verify(signature, data, pad, digest)
        elif alg.startswith("ES") and digest and isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, ec.ECDSA(digest))
        else:
            raise ProofError(f"unsupported seal algorithm {alg!r} for this certificate")
    except InvalidSignature as exc:
        raise ProofError(
            "the seal does not match the credential: it was changed after sealing"
        ) from exc


@dataclass(frozen=True)
class _Seal:
    """One signature whose seal held: its header, certificates and raw signature value."""

    header: Mapping[str, Any]
    certificate: x509.Certificate
    carried: tuple[x509.Certificate, ...]
    signature: Mapping[str, Any]


def _seal_check(document: Mapping[str, Any], signature: Any) -> tuple[Check, _Seal | None]:
    if not isinstance(signature, Mapping):
        return failed("proof", "JAdES: a signature is not a JSON object"), None
    try:
        header = _header(signature)
        certificate = _certificate(header)
        data = f"{signature['protected']}.{document['payload']}".encode()
        value = signature.get("signature")
        _check_signature(header, certificate, data, _b64url(value, "signature"))
    except MicrocredError as exc:
        return failed("proof", f"JAdES seal: {exc.message}"), None
    holder = certificate.subject.rfc4514_string()
    when = header.get("sigT", "an unstated time")
    detail = f"JAdES seal ({header.get('alg')}): signature valid, sealed at {when} by {holder}"
    chain = header.get("x5c")
    carried = (*_carried(chain[1:] if isinstance(chain, list) else []),
               *_carried(unsigned_certificates(signature)))  # fmt: skip
    return ok("proof", detail), _Seal(header, certificate, carried, signature)


def _carried(items: Any) -> list[x509.Certificate]:
    found = []
    for item in items[:MAX_CARRIED]:
        try:
            der = base64.b64decode(item, validate=True) if isinstance(item, str) else item
            found.append(x509.load_der_x509_certificate(der))
        except (binascii.Error, ValueError, TypeError):
            continue
    return found


def _payload(document: Mapping[str, Any]) -> Any:
    """The sealed payload as JSON; ProofError when it (or the first header) cannot be read."""
    signatures = document["signatures"]
    first = signatures[0] if signatures and isinstance(signatures[0], Mapping) else {}
    b64 = _header(first).get("b64", True) if first else True
    raw = document["payload"].encode() if b64 is False else _b64url(document["payload"], "payload")
    return _json(raw, "payload")


def verify_jades(document: Mapping[str, Any], context: Context) -> Report:
    """A sealed EDC: the seal, its time-stamp, its chain and trust, then the credential's checks."""
    try:
        credential = _payload(document)
    except MicrocredError as exc:
        return unreadable(f"a JWS JSON document that cannot be read: {exc.message}")
    if not isinstance(credential, Mapping):
        return unreadable("a JWS JSON document whose payload is not a JSON credential")
    seals = [_seal_check(document, signature) for signature in document["signatures"][:8]]
    checks = [*form_checks(credential, "a sealed EDC"), *(check for check, _ in seals)]
    sealed = next((seal for _, seal in seals if seal is not None), None)
    summary = None
    if not seals:
        checks.append(failed("proof", "the JAdES document has no signature"))
    if sealed is None:
        checks.append(failed("issuer", "no valid seal ties the credential to an issuer"))
    else:
        found = seal_checks(sealed.certificate, sealed.carried, sealed.signature,
                            context.seal_trust, context.now)  # fmt: skip
        checks += found.checks
        summary = {**found.summary, "signed_at": sealed.header.get("sigT"),
                   "alg": sealed.header.get("alg")}  # fmt: skip
    report = credential_report(credential, checks, context, context.lookup(), issuer_id(credential))
    return replace(report, format="ELM/EDC (JAdES seal)", seal=summary)
