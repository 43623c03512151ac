"""The public catalogue as CTDL JSON-LD (Credential Engine), beside the ELM and schema.org ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import OpportunityVersion, Provider
from microcred.core.formats.ctdl import (
    CtdlOpportunity,
    CtdlProvider,
    ctdl_graph,
    opportunity_nodes,
    organisation_nodes,
)
from microcred.core.model import ConceptRef, MicroCredential, QualityAssurance
from microcred.services.catalogue import Filters, filtered
from microcred.services.context import Context

MAX_EXPORT = 1000  # opportunities in one export; page with offset beyond that


def _provider(ctx: Context, provider: Provider) -> CtdlProvider:
    qa = [QualityAssurance(type=ConceptRef(id=item["type"]),
                           **{k: v for k, v in item.items() if k != "type"})
          for item in provider.quality_assurance]  # fmt: skip
    return CtdlProvider(
        id=ctx.site.provider_did(provider.slug),
        name=provider.legal_name,
        kind=provider.type,
        country=provider.country,
        page=provider.homepage or f"{ctx.site.public_url}/providers/{provider.id}",
        region=provider.region,
        email=provider.contact.get("email"),
        street=provider.contact.get("address"),
        sector=provider.sector,
        quality_assurance=tuple(qa),
    )


def _opportunity(ctx: Context, row: OpportunityVersion, provider: Provider) -> CtdlOpportunity:
    base = ctx.site.opportunity_url(row.opportunity_id)
    return CtdlOpportunity(
        id=f"{base}/versions/{row.version}",
        page=f"{ctx.site.public_url}/courses/{row.opportunity_id}",
        credential=MicroCredential.model_validate(row.data["credential"]),
        provider_id=ctx.site.provider_did(provider.slug),
    )


def _graph(ctx: Context, graph_id: str, rows: list[OpportunityVersion]) -> dict[str, Any]:
    providers: dict[int, Provider] = {}
    nodes: list[dict[str, Any]] = []
    for row in rows:
        provider = providers.get(row.provider_id) or ctx.session.get(Provider, row.provider_id)
        if provider is None:
            continue
        if row.provider_id not in providers:
            providers[row.provider_id] = provider
            nodes += organisation_nodes(_provider(ctx, provider))
        nodes += opportunity_nodes(_opportunity(ctx, row, provider))
    return ctdl_graph(graph_id, nodes)


def ctdl_opportunity(ctx: Context, row: OpportunityVersion) -> dict[str, Any]:
    """One published version, its micro-credential and its provider, as a CTDL graph."""
    graph_id = f"{ctx.site.opportunity_url(row.opportunity_id)}/versions/{row.version}/ctdl"
    return _graph(ctx, graph_id, [row])


def ctdl_catalogue(
    ctx: Context, filters: Filters, limit: int = MAX_EXPORT, offset: int = 0
) -> dict[str, Any]:
    """The published catalogue (latest versions matching ``filters``) as one CTDL graph."""
    limit = max(1, min(limit, MAX_EXPORT))
    query = filtered(select(OpportunityVersion), filters).order_by(OpportunityVersion.id)
    rows = list(ctx.session.scalars(query.limit(limit).offset(max(0, offset))))
    return _graph(ctx, f"{ctx.site.public_url}/catalogue/export/ctdl", rows)
