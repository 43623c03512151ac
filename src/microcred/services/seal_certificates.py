"""A provider's electronic-seal certificates: import (PKCS#12 or PEM), list, the active one.

The private key is stored encrypted with the deployment's secret, as signing keys are; the
certificate chain is stored as PEM beside it. Sealed EDCs use the newest certificate that is
neither retired nor expired.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from microcred.adapters.db.tables import Provider, SealCertificate
from microcred.core.errors import InvalidCertificate
from microcred.core.proofs.seal_keys import SealKey, check_seal, load_pem, load_pkcs12
from microcred.services import audit
from microcred.services.context import Context
from microcred.services.errors import Conflict, NotFound

MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class CertificateFiles:
    """What an import reads: a PKCS#12 file, or a PEM private key and a PEM chain."""

    pkcs12: bytes | None = None
    key_pem: bytes | None = None
    chain_pem: bytes | None = None
    password: str | None = None

    def load(self) -> SealKey:
        sizes = [len(part) for part in (self.pkcs12, self.key_pem, self.chain_pem) if part]
        if any(size > MAX_FILE_BYTES for size in sizes):
            raise InvalidCertificate(f"a certificate file is larger than {MAX_FILE_BYTES} bytes")
        if self.pkcs12 is not None:
            if self.key_pem is not None or self.chain_pem is not None:
                raise InvalidCertificate("give a PKCS#12 file, or a PEM key and chain: not both")
            return load_pkcs12(self.pkcs12, self.password)
        if self.key_pem is None or self.chain_pem is None:
            raise InvalidCertificate("give a PKCS#12 file, or both a PEM key and a PEM chain")
        return load_pem(self.key_pem, self.chain_pem, self.password)


def import_certificate(ctx: Context, provider_id: int, files: CertificateFiles) -> SealCertificate:
    """Check and store a seal certificate for ``provider_id`` (not committed); audited."""
    ctx.actor.require("manage", provider_id)
    if ctx.session.get(Provider, provider_id) is None:
        raise NotFound(f"no provider {provider_id}")
    seal = check_seal(files.load(), ctx.now())
    leaf = seal.certificate
    row = SealCertificate(
        provider_id=provider_id, subject=leaf.subject.rfc4514_string()[:1000],
        issuer=leaf.issuer.rfc4514_string()[:1000], serial=format(leaf.serial_number, "x")[:100],
        fingerprint=seal.fingerprint(), not_before=leaf.not_valid_before_utc,
        not_after=leaf.not_valid_after_utc, chain_pem=seal.chain_pem(),
        private_encrypted=ctx.vault.seal_certificate_key(seal), created_at=ctx.now(),
    )  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx, "seal-certificate.import", "seal-certificate", row.id,
                 provider_id=provider_id)  # fmt: skip
    return row


def certificates_of(ctx: Context, provider_id: int) -> list[SealCertificate]:
    """A provider's seal certificates, oldest first."""
    ctx.actor.require("read", provider_id)
    query = select(SealCertificate).where(SealCertificate.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(SealCertificate.id)))


def active_seal(ctx: Context, provider_id: int) -> tuple[SealCertificate, SealKey]:
    """The newest certificate neither retired nor expired, with its opened key."""
    now = ctx.now()
    for row in reversed(certificates_of(ctx, provider_id)):
        if row.retired_at is None and row.not_before <= now < row.not_after:
            return row, ctx.vault.open_seal(row.private_encrypted, row.chain_pem)
    raise Conflict(
        "no valid seal certificate: import one with `microcred provider certificate import`"
    )
