"""Learning opportunities: drafts, published versions and catalogue entries."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field

from microcred.adapters.db.tables import Opportunity, OpportunityVersion
from microcred.schemas.base import Form, JsonObject, Moment, moment
from microcred.services.context import Context

_CREDENTIAL = Field(description="the Annex I elements of the credential (no learner, date, grade)")
_OFFER = Field(description="dates, place, price, recognition policy, application URL, places")


class Description(JsonObject):
    """A learning opportunity as its provider described it: credential elements and offer."""

    credential: dict[str, Any] = _CREDENTIAL
    offer: dict[str, Any] = _OFFER


class OpportunityOut(Form):
    """An opportunity with its draft (null once published and not edited since)."""

    id: int
    provider_id: int
    draft: Description | None
    latest_version: int | None = Field(description="null before the first publication")
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: Opportunity) -> Self:
        return cls(
            id=row.id,
            provider_id=row.provider_id,
            draft=None if row.draft is None else Description.model_validate(row.draft),
            latest_version=row.latest_version or None,
            created_at=moment(row.created_at),
            updated_at=moment(row.updated_at),
        )


class VersionOut(JsonObject):
    """A published, immutable version: its number and the description as published."""

    opportunity_id: int
    version: int
    provider_id: int
    published_at: Moment
    latest: bool
    credential: dict[str, Any] = _CREDENTIAL
    offer: dict[str, Any] = _OFFER

    @classmethod
    def of(cls, row: OpportunityVersion) -> Self:
        return cls.model_validate(_version(row))


def _version(row: OpportunityVersion) -> dict[str, Any]:
    return {
        "opportunity_id": row.opportunity_id,
        "version": row.version,
        "provider_id": row.provider_id,
        "published_at": moment(row.published_at),
        "latest": row.is_latest,
        **row.data,
    }


class CatalogueEntry(VersionOut):
    """A published version in the public catalogue, with its public page."""

    url: str

    @classmethod
    def listed(cls, ctx: Context, row: OpportunityVersion) -> Self:
        return cls.model_validate({"url": ctx.site.opportunity_url(row.opportunity_id),
                                   **_version(row)})  # fmt: skip


class CataloguePage(Form):
    """A page of search results (latest versions) and the total that match."""

    items: list[CatalogueEntry]
    total: int
    limit: int
    offset: int
