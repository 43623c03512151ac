"""RFC 3161 time-stamp tokens (JAdES ``sigTst``): what was stamped, when, by whom, and whether
the token's CMS signature holds (RFC 5652: the signed attributes carry the digest of the
TSTInfo, and the time-stamp authority's key signed them).

Pure: DER bytes in, a :class:`Stamp` out; never raises for a bad token.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

_HASHES: dict[str, tuple[Any, hashes.HashAlgorithm]] = {
    "sha256": (hashlib.sha256, hashes.SHA256()),
    "sha384": (hashlib.sha384, hashes.SHA384()),
    "sha512": (hashlib.sha512, hashes.SHA512()),
}


@dataclass(frozen=True)
class Stamp:
    """A time-stamp's verdict: ``time`` and ``authority`` when it could be read."""

    ok: bool
    reason: str
    time: datetime | None = None
    authority: x509.Certificate | None = None


class _Bad(Exception):
    pass


def check_stamp(token: bytes, stamped: bytes) -> Stamp:
    """Whether ``token`` is a valid time-stamp of the bytes ``stamped``."""
    try:
        signed = cms.ContentInfo.load(token)["content"]
        encap = signed["encap_content_info"]
        content = encap["content"].contents
        info = tsp.TSTInfo.load(content)
        imprint = info["message_imprint"]
        when = info["gen_time"].native
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
        if algorithm not in _HASHES:
            return Stamp(False, f"a time-stamp hashed with {algorithm}, not SHA-2", when)
        if _HASHES[algorithm][0](stamped).digest() != hashed:
            return Stamp(False, "the time-stamp is of other data than this signature", when)
        authority = _check_signer(signed, content)
    except _Bad as exc:
        return Stamp(False, str(exc))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return Stamp(False, "the time-stamp token cannot be read")
    return Stamp(True, "valid", when, authority)


def _certificates(signed: Any) -> list[x509.Certificate]:
    found = []
    for choice in signed["certificates"] or []:
        if choice.name == "certificate":
            found.append(x509.load_der_x509_certificate(choice.chosen.dump()))
    return found


def _signer_certificate(signer: Any, certificates: list[x509.Certificate]) -> x509.Certificate:
    sid = signer["sid"]
    if sid.name == "issuer_and_serial_number":
        serial = sid.chosen["serial_number"].native
        match = [c for c in certificates if c.serial_number == serial]
    else:
        key_id = sid.chosen.native
        match = [c for c in certificates if _key_id(c) == key_id]
    if not match:
        raise _Bad("the time-stamp does not carry its authority's certificate")
    return match[0]


def _key_id(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value.digest
    except x509.ExtensionNotFound:
        return None


def _check_signer(signed: Any, content: bytes) -> x509.Certificate:
    signer = signed["signer_infos"][0]
    algorithm = signer["digest_algorithm"]["algorithm"].native
    if algorithm not in _HASHES:
        raise _Bad(f"a time-stamp signed with {algorithm}, not SHA-2")
    attrs = signer["signed_attrs"]
    digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
    if digests != [_HASHES[algorithm][0](content).digest()]:
        raise _Bad("the time-stamp's signed digest does not match its content")
    certificate = _signer_certificate(signer, _certificates(signed))
    data = _as_set(attrs.dump())
    _verify(certificate, signer["signature"].native, data, _HASHES[algorithm][1],
            signer["signature_algorithm"].signature_algo)  # fmt: skip
    return certificate


def _as_set(der: bytes) -> bytes:
    """Signed attributes are signed as a SET (tag 0x31), not as the [0] IMPLICIT field."""
    return b"\x31" + der[1:]


def _verify(
    certificate: x509.Certificate, signature: bytes, data: bytes, digest: hashes.HashAlgorithm,
    scheme: str,
) -> None:  # fmt: skip
    key = certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            pad: padding.AsymmetricPadding = (
                padding.PSS(padding.MGF1(digest), padding.PSS.AUTO)
                if scheme == "rsassa_pss" else padding.PKCS1v15()
            )  # fmt: skip
            key.verify(signature, data, pad, digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            raise _Bad("the time-stamp authority's key is of an unsupported type")
    except InvalidSignature:
        raise _Bad("the time-stamp authority's signature does not verify") from None
