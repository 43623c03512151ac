"""Providers, their signing keys and their API keys."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from microcred.api.deps import Auth, Public
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.schemas.keys import ApiKeyOut, NewApiKeyOut, SealCertificateOut, SigningKeyOut
from microcred.schemas.providers import ProviderOut, ProviderPage, ProviderSummary
from microcred.services import apikeys, providers, seal_certificates, signing_keys
from microcred.services.bounds import MAX_ROW_ID, RowId
from microcred.services.errors import InvalidInput
from microcred.services.providers import ProviderIn

router = APIRouter(tags=["providers"], responses=PROBLEM_RESPONSES)
Id = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class RotateIn(BaseModel):
    key_type: str = Field("ed25519", description="ed25519, p256 or p384")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class CertificateIn(BaseModel):
    """A PKCS#12 file (base64), or a PEM private key and a PEM chain (leaf first)."""

    pkcs12_base64: str | None = Field(None, max_length=400_000,
                                      description="the .p12/.pfx file, base64")  # fmt: skip
    key_pem: str | None = Field(None, max_length=100_000, description="PEM private key")
    chain_pem: str | None = Field(None, max_length=200_000,
                                  description="PEM certificates, leaf first")  # fmt: skip
    password: str | None = Field(
        None, max_length=1000, description="password of the PKCS#12 file or of the PEM key"
    )

    def files(self) -> seal_certificates.CertificateFiles:
        pkcs12 = None
        if self.pkcs12_base64 is not None:
            try:
                pkcs12 = base64.b64decode(self.pkcs12_base64, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidInput("pkcs12_base64 is not base64", field="pkcs12_base64") from None
        return seal_certificates.CertificateFiles(
            pkcs12=pkcs12,
            key_pem=self.key_pem.encode("utf-8") if self.key_pem is not None else None,
            chain_pem=self.chain_pem.encode("utf-8") if self.chain_pem is not None else None,
            password=self.password,
        )


class ApiKeyIn(BaseModel):
    role: str = Field(description="platform-admin, provider-admin, provider-issuer, "
                      "pathway-officer, read-only, statistics-reader, recognition-officer "
                      "or assessor")  # fmt: skip
    provider_id: RowId | None = None
    country: str | None = Field(None, max_length=2, description="statistics-reader: its country")
    label: str = Field(min_length=1, max_length=200)


@router.get("/providers", summary="List registered providers (public)")
def list_providers(ctx: Public, limit: Limit = 50, offset: Offset = 0) -> ProviderPage:
    rows, total = providers.list_providers(ctx, limit, offset)
    items = [ProviderSummary.of(ctx, row) for row in rows]
    return ProviderPage(items=items, total=total, limit=limit, offset=offset)


@router.post("/providers", status_code=201, summary="Register a provider (platform admin)")
def register(ctx: Auth, body: ProviderIn) -> ProviderOut:
    return ProviderOut.of(ctx, providers.register(ctx, body))


@router.get("/providers/{provider_id}", summary="A provider's public record (public)")
def show(ctx: Public, provider_id: Id) -> ProviderOut:
    return ProviderOut.of(ctx, providers.public_get(ctx, provider_id))


@router.put("/providers/{provider_id}", summary="Update a provider (its admins)")
def update(ctx: Auth, provider_id: Id, body: ProviderIn) -> ProviderOut:
    return ProviderOut.of(ctx, providers.update(ctx, provider_id, body))


@router.post("/providers/{provider_id}/keys/rotate", status_code=201, tags=["keys"],
             summary="New signing key; old keys stay in the DID document")  # fmt: skip
def rotate(ctx: Auth, provider_id: Id, body: RotateIn) -> SigningKeyOut:
    row = signing_keys.rotate(ctx, provider_id, body.key_type)
    return SigningKeyOut.of(row)


@router.post("/providers/{provider_id}/keys/{key_id}/revoke", tags=["keys"],
             summary="Mark a key compromised (it stops verifying)")  # fmt: skip
def revoke_key(ctx: Auth, provider_id: Id, key_id: Id, body: ReasonIn) -> SigningKeyOut:
    row = signing_keys.revoke_key(ctx, provider_id, key_id, body.reason)
    return SigningKeyOut.of(row)


@router.post("/providers/{provider_id}/seal-certificates", status_code=201, tags=["keys"],
             summary="Import an eSeal certificate (PKCS#12 or PEM) to seal EDCs")  # fmt: skip
def import_certificate(ctx: Auth, provider_id: Id, body: CertificateIn) -> SealCertificateOut:
    row = seal_certificates.import_certificate(ctx, provider_id, body.files())
    return SealCertificateOut.of(row)


@router.get("/providers/{provider_id}/seal-certificates", tags=["keys"],
            summary="A provider's seal certificates (never the keys)")  # fmt: skip
def list_certificates(ctx: Auth, provider_id: Id) -> list[SealCertificateOut]:
    return [SealCertificateOut.of(r) for r in seal_certificates.certificates_of(ctx, provider_id)]


@router.get("/providers/{provider_id}/api-keys", tags=["api keys"], summary="A provider's keys")
def list_api_keys(ctx: Auth, provider_id: Id) -> list[ApiKeyOut]:
    return [ApiKeyOut.of(row) for row in apikeys.list_keys(ctx, provider_id)]


@router.post("/api-keys", status_code=201, tags=["api keys"],
             summary="Create an API key (the token is shown once)")  # fmt: skip
def create_api_key(ctx: Auth, body: ApiKeyIn) -> NewApiKeyOut:
    made = apikeys.create(ctx, body.role, body.provider_id, body.label, body.country)
    return NewApiKeyOut.made(made.row, made.token)


@router.delete("/api-keys/{key_id}", tags=["api keys"], summary="Revoke an API key")
def revoke_api_key(ctx: Auth, key_id: Id) -> ApiKeyOut:
    return ApiKeyOut.of(apikeys.revoke(ctx, key_id))
