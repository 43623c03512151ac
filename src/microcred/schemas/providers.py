"""Providers as the public register shows them."""

from __future__ import annotations

from typing import Any, Self

from pydantic import ConfigDict, Field

from microcred.adapters.db.tables import Provider
from microcred.schemas.base import (
    ConceptLabel,
    Form,
    JsonObject,
    LangText,
    Moment,
    documented,
    moment,
)
from microcred.schemas.keys import SigningKeyOut
from microcred.services import signing_keys
from microcred.services.context import Context
from microcred.services.vocabulary import label

_TEXT = {"type": "object", "additionalProperties": {"type": "string"}}


class LegalIdentifierOut(Form):
    scheme: str
    value: str


class QualityEvidenceOut(JsonObject):
    """Quality assurance evidence; members other than ``type`` are absent when unknown."""

    model_config = ConfigDict(json_schema_extra=documented(
        agency=_TEXT, agency_id={"type": "string"}, decision=_TEXT, report={"type": "string"},
        valid_from={"type": "string", "format": "date"},
        valid_until={"type": "string", "format": "date"}))  # fmt: skip
    type: ConceptLabel


class ProviderSummary(Form):
    """A provider's public record (as listed: without its keys)."""

    id: int
    slug: str
    did: str
    legal_name: LangText
    identifiers: list[LegalIdentifierOut]
    country: ConceptLabel
    region: ConceptLabel | None
    type: str
    sector: str | None
    homepage: str | None
    contact: dict[str, str] = Field(description="email, phone, address: absent when unknown")
    quality_assurance: list[QualityEvidenceOut]
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, ctx: Context, provider: Provider) -> Self:
        return cls.model_validate(_members(ctx, provider))


class ProviderOut(ProviderSummary):
    """A provider's public record with its signing keys (old ones stay listed)."""

    keys: list[SigningKeyOut]

    @classmethod
    def of(cls, ctx: Context, provider: Provider) -> Self:
        keys = [SigningKeyOut.of(row) for row in signing_keys.keys_of(ctx, provider.id)]
        return cls.model_validate({**_members(ctx, provider), "keys": keys})


def _members(ctx: Context, provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.id,
        "slug": provider.slug,
        "did": ctx.site.provider_did(provider.slug),
        "legal_name": provider.legal_name,
        "identifiers": provider.identifiers,
        "country": label(provider.country),
        "region": label(provider.region),
        "type": provider.type,
        "sector": provider.sector,
        "homepage": provider.homepage,
        "contact": provider.contact,
        "quality_assurance": [
            {**qa, "type": label(qa["type"])} for qa in provider.quality_assurance
        ],
        "created_at": moment(provider.created_at),
        "updated_at": moment(provider.updated_at),
    }


class ProviderPage(Form):
    """A page of the register, by slug."""

    items: list[ProviderSummary]
    total: int
    limit: int
    offset: int
