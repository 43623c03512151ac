"""A provider's electronic seal: an RSA or EC private key with its X.509 certificate chain.

Read from a PKCS#12 file (with its password) or from PEM (a private key, possibly encrypted,
and the certificates, leaf first). :func:`check_seal` refuses what cannot seal: a key that is
not the certificate's, a certificate outside its validity period. Pure: bytes and ``now`` in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from microcred.core.errors import InvalidCertificate

SealPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_EC_ALG = {256: "ES256", 384: "ES384", 521: "ES512"}
MAX_CHAIN = 10


@dataclass(frozen=True)
class SealKey:
    """The private key (kept out of ``repr``) and the chain, leaf certificate first."""

    private: SealPrivateKey = field(repr=False, compare=False)
    chain: tuple[x509.Certificate, ...]

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def alg(self) -> str:
        """The JWS algorithm this key seals with (RS256 for RSA, ES256/384/512 for EC)."""
        if isinstance(self.private, rsa.RSAPrivateKey):
            return "RS256"
        return _EC_ALG[self.private.curve.key_size]

    def chain_pem(self) -> str:
        """The chain as concatenated PEM certificates, leaf first."""
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in self.chain)

    def fingerprint(self) -> str:
        """SHA-256 of the leaf certificate's DER, hex."""
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        return hashlib.sha256(der).hexdigest()


def _usable_key(key: object) -> SealPrivateKey:
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise InvalidCertificate(f"the RSA key has {key.key_size} bits: at least 2048 needed")
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size in _EC_ALG:
        return key
    raise InvalidCertificate(
        f"a {type(key).__name__} cannot seal: an RSA or EC (P-256/384/521) key is needed"
    )


def load_pkcs12(data: bytes, password: str | None) -> SealKey:
    """The key and chain of a PKCS#12 (.p12/.pfx) file."""
    secret = password.encode("utf-8") if password else None
    try:
        key, leaf, extra = pkcs12.load_key_and_certificates(data, secret)
    except UnsupportedAlgorithm as exc:
        raise InvalidCertificate(f"the PKCS#12 file uses an unsupported algorithm: {exc}") from exc
    except (ValueError, TypeError) as exc:
        if data[:1] == b"\x30":
            raise InvalidCertificate(
                "cannot open the PKCS#12 file: wrong password, or a damaged file"
            ) from exc
        raise InvalidCertificate("not a PKCS#12 file") from exc
    if key is None or leaf is None:
        raise InvalidCertificate("the PKCS#12 file holds no private key with its certificate")
    return SealKey(_usable_key(key), _ordered(leaf, list(extra)))


def load_pem(key_pem: bytes, chain_pem: bytes, password: str | None) -> SealKey:
    """The key of a PEM private key file and the certificates of a PEM chain (leaf first)."""
    secret = password.encode("utf-8") if password else None
    try:
        key = serialization.load_pem_private_key(key_pem, secret)
    except TypeError as exc:  # encrypted without password, or a password for a plain key
        raise InvalidCertificate(f"cannot open the private key: {exc}") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidCertificate(
            "cannot open the private key: wrong password, or not a PEM private key"
        ) from exc
    try:
        certificates = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise InvalidCertificate("the chain file holds no PEM certificate") from exc
    return SealKey(_usable_key(key), _ordered(certificates[0], certificates[1:]))


def _ordered(
    leaf: x509.Certificate, others: list[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    """The leaf, then each certificate's issuer among ``others`` (the rest are dropped)."""
    chain = [leaf]
    pool = [c for c in others if c != leaf]
    while pool and len(chain) < MAX_CHAIN:
        nxt = next((c for c in pool if c.subject == chain[-1].issuer), None)
        if nxt is None or chain[-1].issuer == chain[-1].subject:
            break
        chain.append(nxt)
        pool.remove(nxt)
    return tuple(chain)


def check_seal(seal: SealKey, now: datetime) -> SealKey:
    """``seal`` when its key is the certificate's and the certificate is valid at ``now``."""
    public = seal.private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    leaf = seal.certificate
    certified = leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    subject = leaf.subject.rfc4514_string()
    if public != certified:
        raise InvalidCertificate(f"the private key does not match the certificate of {subject}")
    if leaf.not_valid_after_utc <= now:
        until = leaf.not_valid_after_utc.isoformat()
        raise InvalidCertificate(f"the certificate of {subject} expired on {until}")
    if leaf.not_valid_before_utc > now:
        since = leaf.not_valid_before_utc.isoformat()
        raise InvalidCertificate(f"the certificate of {subject} is not valid before {since}")
    return seal


def seal_to_pem(seal: SealKey, passphrase: bytes) -> str:
    """The private key as encrypted PKCS#8 PEM (for storage at rest)."""
    return seal.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    ).decode("ascii")


def seal_from_pem(key_pem: str, passphrase: bytes, chain_pem: str) -> SealKey:
    """A stored seal: the encrypted PKCS#8 key and the PEM chain."""
    return load_pem(key_pem.encode("ascii"), chain_pem.encode("ascii"),
                    passphrase.decode("utf-8"))  # fmt: skip
