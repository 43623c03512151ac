"""A small test PKI for sealed EDCs: a root CA, an eSeal certificate it issues, PKCS#12/PEM files.

Keys are made once per process (RSA generation costs tens of milliseconds); certificates are
valid around the test clock (2026-03-01) unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2030, 1, 1, tzinfo=UTC)


@cache
def rsa_key(label: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def ec_key(label: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def name(common: str, organisation: str = "Test Trust Services", country: str = "RO") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, country),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])  # fmt: skip


def certificate(
    subject: x509.Name, key: Key, issuer: x509.Name, issuer_key: Key, *,
    ca: bool, start: datetime = START, end: datetime = END,
) -> x509.Certificate:  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )  # fmt: skip
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class Pki:
    """A root CA and an eSeal certificate it issued to a provider."""

    root: x509.Certificate
    root_key: Key
    leaf: x509.Certificate
    leaf_key: Key

    def pkcs12(self, password: bytes | None = b"p12-secret") -> bytes:
        encryption = (serialization.BestAvailableEncryption(password) if password
                      else serialization.NoEncryption())  # fmt: skip
        return pkcs12.serialize_key_and_certificates(
            b"seal",
            self.leaf_key,
            self.leaf,
            [self.root],
            encryption,  # type: ignore[arg-type]
        )

    def key_pem(self, password: bytes | None = None) -> bytes:
        encryption = (serialization.BestAvailableEncryption(password) if password
                      else serialization.NoEncryption())  # fmt: skip
        return self.leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (self.leaf, self.root))


def pki(label: str = "test", *, use_rsa: bool = False, start: datetime = START,
        end: datetime = END) -> Pki:  # fmt: skip
    """A root ``label`` CA and an eSeal certificate of "University of Bucharest" under it."""
    root_key: Key = ec_key(f"{label}-root")
    root_name = name(f"{label} Root CA")
    root = certificate(root_name, root_key, root_name, root_key, ca=True)
    leaf_key: Key = rsa_key(f"{label}-leaf") if use_rsa else ec_key(f"{label}-leaf")
    leaf_name = name("University of Bucharest eSeal", "Universitatea din Bucuresti")
    leaf = certificate(leaf_name, leaf_key, root_name, root_key, ca=False, start=start, end=end)
    return Pki(root, root_key, leaf, leaf_key)


def wrong_key() -> ec.EllipticCurvePrivateKey:
    return ec_key("stranger")


def later(days: int) -> datetime:
    return START + timedelta(days=days)
