"""Signing keys and API keys."""

from __future__ import annotations

from typing import Literal

from microcred.adapters.db.tables import ApiKey, SealCertificate, SigningKey
from microcred.core.keys import PublicKey
from microcred.schemas.base import Form, Moment, moment
from microcred.services.moments import iso


class SigningKeyOut(Form):
    """A provider's signing key (public part): old keys stay listed."""

    id: int
    type: str
    public_key_multibase: str
    did_key: str
    created_at: Moment
    retired_at: Moment | None
    revoked_at: Moment | None
    state: Literal["active", "retired", "revoked"]

    @classmethod
    def of(cls, row: SigningKey) -> SigningKeyOut:
        state = "revoked" if row.revoked_at else "retired" if row.retired_at else "active"
        return cls(
            id=row.id,
            type=row.key_type,
            public_key_multibase=row.public_multibase,
            did_key=PublicKey.from_multibase(row.public_multibase).did_key,
            created_at=moment(row.created_at),
            retired_at=iso(row.retired_at),
            revoked_at=iso(row.revoked_at),
            state=state,
        )


class ApiKeyOut(Form):
    """An API key as listed (the token itself is never shown again)."""

    id: int
    prefix: str
    role: str
    provider_id: int | None
    label: str
    created_at: Moment
    revoked_at: Moment | None

    @classmethod
    def of(cls, row: ApiKey) -> ApiKeyOut:
        return cls(
            id=row.id,
            prefix=row.prefix,
            role=row.role,
            provider_id=row.provider_id,
            label=row.label,
            created_at=moment(row.created_at),
            revoked_at=iso(row.revoked_at),
        )


class NewApiKeyOut(ApiKeyOut):
    """A new API key, with its token: shown this once."""

    token: str

    @classmethod
    def made(cls, row: ApiKey, token: str) -> NewApiKeyOut:
        return cls(**ApiKeyOut.of(row).model_dump(), token=token)


class SealCertificateOut(Form):
    """A provider's seal certificate (the leaf's facts and the chain; never the key)."""

    id: int
    provider_id: int
    subject: str
    issuer: str
    serial: str
    sha256_fingerprint: str
    not_before: Moment
    not_after: Moment
    created_at: Moment
    chain_pem: str

    @classmethod
    def of(cls, row: SealCertificate) -> SealCertificateOut:
        return cls(
            id=row.id,
            provider_id=row.provider_id,
            subject=row.subject,
            issuer=row.issuer,
            serial=row.serial,
            sha256_fingerprint=row.fingerprint,
            not_before=moment(row.not_before),
            not_after=moment(row.not_after),
            created_at=moment(row.created_at),
            chain_pem=row.chain_pem,
        )
