"""The public catalogue: search published opportunities; export as ELM and schema.org ``Course``
(CTDL: :mod:`microcred.services.catalogue_ctdl`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from microcred.adapters.db.tables import OpportunityVersion, Provider
from microcred.core.formats.elm_write import to_elm
from microcred.core.i18n import pick
from microcred.core.model import MicroCredential
from microcred.services.context import Context
from microcred.services.vocabulary import concept_uri, notation

MAX_PAGE = 100


@dataclass(frozen=True)
class Filters:
    """Catalogue filters; codes (RO, 0613, en) or URIs where a vocabulary applies."""

    text: str | None = None
    country: str | None = None
    eqf: int | None = None
    ects_min: float | None = None
    ects_max: float | None = None
    isced: str | None = None
    mode: str | None = None
    language: str | None = None
    provider: str | None = None


def filtered(query: Select[Any], f: Filters) -> Select[Any]:
    v = OpportunityVersion
    query = query.where(v.is_latest.is_(True))
    if f.text:
        query = query.where(v.search_text.contains(f.text.casefold(), autoescape=True))
    if f.country:
        query = query.where(v.country == concept_uri("country", f.country, "country"))
    if f.eqf is not None:
        query = query.where(v.eqf == f.eqf)
    if f.ects_min is not None:
        query = query.where(v.ects >= f.ects_min)
    if f.ects_max is not None:
        query = query.where(v.ects <= f.ects_max)
    if f.isced:
        query = query.where(v.isced == concept_uri("isced-f", f.isced, "isced"))
    if f.mode:
        query = query.where(v.mode == concept_uri("learning-assessment", f.mode, "mode"))
    if f.language:
        code = notation("language", concept_uri("language", f.language, "language"))
        query = query.where(v.languages.contains(f" {code} ", autoescape=True))
    if f.provider:
        query = query.join(Provider, Provider.id == v.provider_id).where(
            Provider.slug == f.provider
        )
    return query


def search(
    ctx: Context, filters: Filters, limit: int = 20, offset: int = 0
) -> tuple[list[OpportunityVersion], int]:
    """Published opportunities matching ``filters`` (latest versions), and the total."""
    limit = max(1, min(limit, MAX_PAGE))
    query = filtered(select(OpportunityVersion), filters).order_by(OpportunityVersion.id)
    rows = list(ctx.session.scalars(query.limit(limit).offset(max(0, offset))))
    count = filtered(select(func.count(OpportunityVersion.id)), filters)
    return rows, ctx.session.scalar(count) or 0


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


def _types(node: dict[str, Any]) -> list[Any]:
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind]


def elm_opportunity(ctx: Context, row: OpportunityVersion) -> dict[str, Any]:
    """The opportunity as an ELM ``LearningOpportunity`` (JSON-LD, EDC context)."""
    mc = MicroCredential.model_validate(row.data["credential"])
    edc = to_elm(mc)
    spec = next((n["specifiedBy"] for n in _nodes(edc.get("credentialSubject"))
                 if "LearningAchievement" in _types(n) and "specifiedBy" in n), None)  # fmt: skip
    offer = row.data.get("offer", {})
    node: dict[str, Any] = {
        "@context": edc["@context"][1:],
        "id": ctx.site.opportunity_url(row.opportunity_id),
        "type": "LearningOpportunity",
        "title": {k: [v] for k, v in (mc.title or {}).items()},
        "learningSpecification": spec,
        "providedBy": next((n for n in _nodes(edc.get("issuer")) if n.get("id")), None),
    }
    if offer.get("start_date") or offer.get("end_date"):
        node["temporal"] = {"type": "PeriodOfTime", "startDate": offer.get("start_date"),
                            "endDate": offer.get("end_date")}  # fmt: skip
    if offer.get("price"):
        node["priceDetail"] = [{"type": "PriceDetail", "amount": {
            "type": "Amount", "value": offer["price"]["amount"],
            "unit": offer["price"]["currency"]}}]  # fmt: skip
    if offer.get("application_url"):
        node["homepage"] = [{"type": "WebResource", "contentURL": offer["application_url"]}]
    return {k: v for k, v in node.items() if v is not None}


def schema_org_course(ctx: Context, row: OpportunityVersion, lang: str = "en") -> dict[str, Any]:
    """The opportunity as schema.org ``Course`` JSON-LD (for search engines)."""
    mc = MicroCredential.model_validate(row.data["credential"])
    offer = row.data.get("offer", {})
    body = mc.awarding_bodies[0] if mc.awarding_bodies else None
    course: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": ctx.site.opportunity_url(row.opportunity_id),
        "name": pick(mc.title, lang),
        "description": pick(mc.description, lang),
        "teaches": [pick(o.text, lang) for o in mc.learning_outcomes],
        "inLanguage": [notation("language", r.id) for r in mc.languages] or None,
        "educationalLevel": f"EQF {row.eqf}" if row.eqf else None,
        "numberOfCredits": float(mc.workload.ects) if mc.workload and mc.workload.ects else None,
        "coursePrerequisites": pick(mc.prerequisites, lang),
        "provider": {
            "@type": "EducationalOrganization",
            "name": pick(body.name, lang),
            "url": body.homepage,
        }
        if body
        else None,
        "educationalCredentialAwarded": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "micro-credential",
            "name": pick(mc.title, lang),
        },
    }
    if offer.get("start_date") or offer.get("price") or offer.get("location"):
        instance: dict[str, Any] = {"@type": "CourseInstance", "startDate": offer.get("start_date"),
                                    "endDate": offer.get("end_date"),
                                    "location": offer.get("location")}  # fmt: skip
        if offer.get("price"):
            instance["offers"] = {"@type": "Offer", "price": offer["price"]["amount"],
                                  "priceCurrency": offer["price"]["currency"]}  # fmt: skip
        course["hasCourseInstance"] = [{k: v for k, v in instance.items() if v is not None}]
    return {k: v for k, v in course.items() if v not in (None, [])}
