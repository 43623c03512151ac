"""The provider register: legal identity, place, type, contact and quality-assurance evidence."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select

from microcred.adapters.db.tables import Provider
from microcred.core.keys import KeyType
from microcred.core.model import LangMap
from microcred.services import audit, signing_keys
from microcred.services.context import Context
from microcred.services.errors import Conflict, InvalidInput, NotFound
from microcred.services.vocabulary import concept_uri, region_uri

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"


class ProviderType(StrEnum):
    """Kinds of provider named by the Council Recommendation."""

    HIGHER_EDUCATION = "higher-education"
    VET = "vet"
    ADULT_EDUCATION = "adult-education"
    COMPANY = "company"
    SOCIAL_PARTNER = "social-partner"
    PUBLIC_EMPLOYMENT_SERVICE = "public-employment-service"
    NGO = "ngo"
    PUBLIC_AUTHORITY = "public-authority"
    OTHER = "other"


class Sector(StrEnum):
    """Public or private (non-profit or for-profit): catalogue exports such as CTDL need it."""

    PUBLIC = "public"
    PRIVATE_NON_PROFIT = "private-non-profit"
    PRIVATE_FOR_PROFIT = "private-for-profit"


class IdentifierScheme(StrEnum):
    VAT = "vat"
    EIDAS = "eidas"
    ERASMUS = "erasmus"
    PIC = "pic"
    DEQAR = "deqar"
    LEI = "lei"
    NATIONAL = "national"
    OTHER = "other"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LegalIdentifier(Strict):
    scheme: IdentifierScheme
    value: str = Field(min_length=1, max_length=200)


class Contact(Strict):
    email: str | None = Field(None, max_length=300, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=500)


class QualityEvidence(Strict):
    """Quality assurance evidence: type (accreditation vocabulary), agency, decision, dates."""

    type: str = Field(description="Concept URI or code of the EU accreditation vocabulary")
    agency: LangMap | None = None
    agency_id: str | None = Field(None, max_length=300, description="e.g. DEQAR agency id")
    decision: LangMap | None = None
    report: str | None = Field(None, max_length=1000, pattern=r"^https?://")
    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> QualityEvidence:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class ProviderIn(Strict):
    """A provider registration (or full update)."""

    slug: str = Field(pattern=SLUG_PATTERN, description="URL name; did:web:HOST:providers:SLUG")
    legal_name: LangMap
    identifiers: list[LegalIdentifier] = Field(default_factory=list, max_length=20)
    country: str = Field(description="EU country authority URI or ISO code (RO, FR...)")
    region: str | None = Field(None, description="NUTS region URI or code (RO32...)")
    type: ProviderType
    sector: Sector | None = Field(None, description="public, private-non-profit or "
                                  "private-for-profit (default: unknown)")  # fmt: skip
    homepage: str | None = Field(None, max_length=500, pattern=r"^https?://")
    contact: Contact = Field(default_factory=Contact)
    quality_assurance: list[QualityEvidence] = Field(default_factory=list, max_length=20)


def _normalised(data: ProviderIn) -> dict[str, Any]:
    country = concept_uri("country", data.country, "country")
    region = region_uri(country, data.region, "region") if data.region else None
    qa = []
    for n, item in enumerate(data.quality_assurance):
        uri = concept_uri("accreditation", item.type, f"quality_assurance.{n}.type")
        qa.append({**item.model_dump(mode="json", exclude_none=True), "type": uri})
    return {
        "legal_name": data.legal_name,
        "identifiers": [i.model_dump(mode="json") for i in data.identifiers],
        "country": country,
        "region": region,
        "type": data.type.value,
        "sector": data.sector.value if data.sector else None,
        "homepage": data.homepage,
        "contact": data.contact.model_dump(exclude_none=True),
        "quality_assurance": qa,
    }


def register(ctx: Context, data: ProviderIn, key_type: KeyType = KeyType.ED25519) -> Provider:
    """Platform admin: add a provider with a first signing key."""
    ctx.actor.require_admin()
    if ctx.session.scalar(select(Provider.id).where(Provider.slug == data.slug)) is not None:
        raise Conflict(f"a provider {data.slug!r} already exists")
    now = ctx.now()
    provider = Provider(slug=data.slug, **_normalised(data), status_counter=0,
                        created_at=now, updated_at=now)  # fmt: skip
    ctx.session.add(provider)
    ctx.session.flush()
    signing_keys.create_key(ctx, provider.id, key_type)
    audit.record(ctx, "provider.register", "provider", provider.id, provider_id=provider.id)
    ctx.session.flush()
    return provider


def update(ctx: Context, provider_id: int, data: ProviderIn) -> Provider:
    """Replace a provider's description (its slug, and so its DID, cannot change)."""
    provider = get(ctx, provider_id)
    ctx.actor.require("manage", provider.id)
    if data.slug != provider.slug:
        raise InvalidInput("the slug cannot change (it is part of the DID)", field="slug")
    for name, value in _normalised(data).items():
        setattr(provider, name, value)
    provider.updated_at = ctx.now()
    audit.record(ctx, "provider.update", "provider", provider.id, provider_id=provider.id)
    ctx.session.flush()
    return provider


def get(ctx: Context, provider_id: int) -> Provider:
    """A provider by id, if the actor may see it."""
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    ctx.actor.require("read", provider.id)
    return provider


def public_get(ctx: Context, provider_id: int) -> Provider:
    """A provider by id: the register is public."""
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def by_slug(ctx: Context, slug: str) -> Provider:
    """A provider by slug (public data, no actor check)."""
    provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
    if provider is None:
        raise NotFound(f"no provider {slug!r}")
    return provider


def list_providers(ctx: Context, limit: int = 50, offset: int = 0) -> tuple[list[Provider], int]:
    """Public: registered providers, by slug, and the total count."""
    rows = ctx.session.scalars(select(Provider).order_by(Provider.slug).limit(limit).offset(offset))
    total = ctx.session.scalar(select(func.count()).select_from(Provider)) or 0
    return list(rows), total
