"""The certificate chain of a seal, built and judged against a trust list of anchors.

A chain goes from the seal's certificate up, each certificate's issuer found among the
certificates the seal carries (``x5c``, ``xVals``) and the trust list's, each signature checked
(``verify_directly_issued_by``), until a trust anchor (a certificate of a trusted service on
the list) or a self-signed root. Validity periods are judged at one moment: the time proved by
a signature time-stamp when there is one, else now. Pure: certificates and times in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

MAX_DEPTH = 8


@dataclass(frozen=True)
class TrustAnchor:
    """A certificate of a trusted service on a trust list (e.g. a CA/QC of an EU Trusted List)."""

    certificate: x509.Certificate
    service: str = ""  # the service's name
    provider: str = ""  # the trust service provider's name
    territory: str = ""  # the list's scheme territory (RO, ES, EU...)


@dataclass(frozen=True)
class SealTrust:
    """The trust anchors of a trust list, and where they come from (for the report)."""

    anchors: tuple[TrustAnchor, ...]
    source: str

    def anchor_for(self, certificate: x509.Certificate) -> TrustAnchor | None:
        """The anchor with this certificate's name and key (RFC 5280's trust anchor: a CA
        certificate re-issued with the same name and key is the same anchor)."""
        key = _spki(certificate)
        return next((a for a in self.anchors if a.certificate.subject == certificate.subject
                     and _spki(a.certificate) == key), None)  # fmt: skip


@dataclass(frozen=True)
class Chain:
    """A built chain (the seal's certificate first), what it ends on, and what is wrong."""

    certificates: tuple[x509.Certificate, ...]
    anchor: TrustAnchor | None = None
    problem: str | None = None  # a broken signature or a certificate out of its period
    complete: bool = False  # ends on a trust anchor or a self-signed root

    def describe(self) -> list[dict[str, Any]]:
        """Subject, issuer and validity of each certificate, for reports and pages."""
        return [describe(c) for c in self.certificates]


def describe(certificate: x509.Certificate) -> dict[str, Any]:
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial": format(certificate.serial_number, "x"),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
    }


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _spki(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _signed_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(parent)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _issuer_of(
    cert: x509.Certificate, pool: Sequence[x509.Certificate]
) -> tuple[x509.Certificate | None, str | None]:
    """The certificate in ``pool`` that issued ``cert``; a problem when one is named its
    issuer but its key did not sign ``cert``."""
    named = [c for c in pool if c.subject == cert.issuer and _der(c) != _der(cert)]
    parent = next((c for c in named if _signed_by(cert, c)), None)
    if parent is None and named:
        subject = cert.subject.rfc4514_string()
        return None, f"the signature on {subject} does not verify with its issuer's key"
    return parent, None


def _out_of_period(cert: x509.Certificate, at: datetime) -> str | None:
    subject = cert.subject.rfc4514_string()
    if at < cert.not_valid_before_utc:
        return f"{subject} is not valid before {cert.not_valid_before_utc.isoformat()}"
    if at > cert.not_valid_after_utc:
        return f"{subject} expired on {cert.not_valid_after_utc.isoformat()}"
    return None


def build_chain(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    trust: SealTrust | None,
    at: datetime,
) -> Chain:
    """The chain of ``leaf`` from ``carried`` and the trust list's anchors, judged at ``at``."""
    anchors = [a.certificate for a in trust.anchors] if trust else []
    pool = [*carried, *anchors]
    chain = [leaf]
    while len(chain) < MAX_DEPTH:
        current = chain[-1]
        anchor = trust.anchor_for(current) if trust else None
        if anchor is not None:
            return _judged(Chain(tuple(chain), anchor, complete=True), at)
        if current.issuer == current.subject and _signed_by(current, current):
            return _judged(Chain(tuple(chain), complete=True), at)
        parent, problem = _issuer_of(current, pool)
        if problem is not None:
            return Chain(tuple(chain), problem=problem)
        if parent is None:
            return _judged(Chain(tuple(chain)), at)
        chain.append(parent)
    return Chain(tuple(chain), problem=f"the chain is longer than {MAX_DEPTH} certificates")


def _judged(chain: Chain, at: datetime) -> Chain:
    for cert in chain.certificates:
        problem = _out_of_period(cert, at)
        if problem:
            return Chain(chain.certificates, chain.anchor, problem, chain.complete)
    return chain
