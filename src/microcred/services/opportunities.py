"""Learning opportunities: drafts, immutable published versions, and their catalogue columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select, update

from microcred.adapters.db.tables import Opportunity, OpportunityVersion, Provider
from microcred.core.annex1 import check
from microcred.core.coding import eqf_number
from microcred.core.model import (
    ConceptRef,
    Identifier,
    LangMap,
    Learner,
    MicroCredential,
    Organisation,
    Place,
    QualityAssurance,
)
from microcred.services import audit, search
from microcred.services.bounds import Count
from microcred.services.context import Context
from microcred.services.errors import Conflict, InvalidInput, NotFound
from microcred.services.vocabulary import notation

PER_ISSUE = ("learner", "issued", "grade", "id")
# A learning opportunity's notional workload: 1,000 ECTS credits is three times a master's
# degree after a bachelor's, far beyond any short course; beyond it a figure is a typing error.
WORKLOAD_BOUNDS = {"ects": Decimal(1000), "hours": Decimal(30000)}


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")


class Offer(BaseModel):
    """How the opportunity is offered: dates, place, price, recognition policy."""

    model_config = ConfigDict(extra="forbid")
    start_date: date | None = None
    end_date: date | None = None
    location: str | None = Field(None, max_length=300)
    price: Price | None = None
    recognition_policy: LangMap | None = None
    application_url: str | None = Field(None, max_length=1000, pattern=r"^https?://")
    places: Count | None = None

    @model_validator(mode="after")
    def _dates(self) -> Offer:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class OpportunityIn(BaseModel):
    """A learning opportunity: the Annex I elements of its credential (no learner, date,
    grade), and the offer."""

    model_config = ConfigDict(extra="forbid")
    credential: MicroCredential
    offer: Offer = Field(default_factory=Offer)

    @model_validator(mode="after")
    def _no_per_issue(self) -> OpportunityIn:
        for name in PER_ISSUE:
            if getattr(self.credential, name) is not None:
                raise ValueError(f"credential.{name} is set per learner at issuance, not here")
        return self

    @model_validator(mode="after")
    def _plausible_workload(self) -> OpportunityIn:
        workload = self.credential.workload
        for name, most in WORKLOAD_BOUNDS.items():
            value = getattr(workload, name) if workload else None
            if value is not None and not 0 <= value <= most:
                raise ValueError(
                    f"credential.workload.{name} must be from 0 to {most}, not {value:.6g}"
                )
        return self


def _provider(ctx: Context, provider_id: int) -> Provider:
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def create(ctx: Context, provider_id: int, data: OpportunityIn) -> Opportunity:
    """A new opportunity with ``data`` as its draft."""
    ctx.actor.require("manage", provider_id)
    _provider(ctx, provider_id)
    now = ctx.now()
    row = Opportunity(provider_id=provider_id, draft=data.model_dump(mode="json"),
                      latest_version=0, created_at=now, updated_at=now)  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx, "opportunity.create", "opportunity", row.id, provider_id=provider_id)
    ctx.session.flush()
    return row


def get(ctx: Context, opportunity_id: int) -> Opportunity:
    """An opportunity with its draft, for its provider."""
    row = ctx.session.get(Opportunity, opportunity_id)
    if row is None:
        raise NotFound(f"no opportunity {opportunity_id}")
    ctx.actor.require("read", row.provider_id)
    return row


def update_draft(ctx: Context, opportunity_id: int, data: OpportunityIn) -> Opportunity:
    """Replace the draft; published versions do not change."""
    row = get(ctx, opportunity_id)
    ctx.actor.require("manage", row.provider_id)
    row.draft = data.model_dump(mode="json")
    row.updated_at = ctx.now()
    audit.record(ctx, "opportunity.update", "opportunity", row.id, provider_id=row.provider_id)
    ctx.session.flush()
    return row


def provider_defaults(ctx: Context, provider: Provider) -> dict[str, Any]:
    """Annex I elements the provider register already knows: awarding body, place, QA."""
    body = Organisation(
        id=ctx.site.provider_did(provider.slug),
        name=provider.legal_name,
        identifiers=tuple(Identifier(**i) for i in provider.identifiers),
        homepage=provider.homepage,
        email=provider.contact.get("email"),
    )
    region = ConceptRef(id=provider.region) if provider.region else None
    place = Place(country=ConceptRef(id=provider.country), region=region)
    qa = [_qa(item) for item in provider.quality_assurance]
    return {
        "awarding_bodies": [body.model_dump(mode="json", exclude_none=True)],
        "issuer_countries": [place.model_dump(mode="json", exclude_none=True)],
        "quality_assurance": [q.model_dump(mode="json", exclude_none=True) for q in qa],
    }


def _qa(item: dict[str, Any]) -> QualityAssurance:
    return QualityAssurance(type=ConceptRef(id=item["type"]),
                            **{k: v for k, v in item.items() if k != "type"})  # fmt: skip


def completed(ctx: Context, provider: Provider, draft: dict[str, Any]) -> dict[str, Any]:
    """The draft's credential with the provider's defaults filled in where it has none."""
    credential = dict(draft["credential"])
    for key, value in provider_defaults(ctx, provider).items():
        if not credential.get(key):
            credential[key] = value
    return {**draft, "credential": credential}


def publish_problems(credential: dict[str, Any]) -> list[str]:
    """What keeps a credential description from being published (Annex I, by element)."""
    probe = {**credential, "learner": Learner(full_name="probe").model_dump(),
             "issued": datetime(2000, 1, 1, tzinfo=UTC).isoformat()}  # fmt: skip
    try:
        report = check(MicroCredential.model_validate(probe))
    except ValidationError as exc:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return [f"{key}: missing" for key in report.missing] + [str(p) for p in report.problems]


def publish(ctx: Context, opportunity_id: int) -> OpportunityVersion:
    """Freeze the draft as the next version; it becomes what the catalogue shows."""
    row = get(ctx, opportunity_id)
    ctx.actor.require("manage", row.provider_id)
    if row.draft is None:
        raise Conflict("nothing to publish: the opportunity has no draft")
    data = completed(ctx, _provider(ctx, row.provider_id), row.draft)
    problems = publish_problems(data["credential"])
    if problems:
        raise InvalidInput("cannot publish: " + "; ".join(problems), field="credential")
    ctx.session.execute(
        update(OpportunityVersion)
        .where(OpportunityVersion.opportunity_id == row.id)
        .values(is_latest=False)
    )
    version = OpportunityVersion(opportunity_id=row.id, provider_id=row.provider_id,
                                 version=row.latest_version + 1, data=data,
                                 published_at=ctx.now(), is_latest=True,
                                 **catalogue_columns(data))  # fmt: skip
    row.latest_version = version.version
    row.draft = None
    ctx.session.add(version)
    ctx.session.flush()
    search.reindex(ctx, row.id)
    audit.record(ctx, "opportunity.publish", "opportunity", row.id, provider_id=row.provider_id,
                 detail={"version": version.version})  # fmt: skip
    ctx.session.flush()
    return version


def catalogue_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The query columns of a published version."""
    mc = MicroCredential.model_validate(data["credential"])
    texts = [*(mc.title or {}).values(), *(mc.description or {}).values()]
    texts += [t for o in mc.learning_outcomes for t in o.text.values()]
    codes = [notation("language", ref.id) for ref in mc.languages]
    return {
        "search_text": " ".join(texts).casefold(),
        "country": mc.issuer_countries[0].country.id if mc.issuer_countries else None,
        "eqf": eqf_number(mc.level.eqf if mc.level else None),
        "ects": float(mc.workload.ects) if mc.workload and mc.workload.ects else None,
        "isced": mc.field_of_study.id if mc.field_of_study else None,
        "mode": mc.participation.mode.id if mc.participation else None,
        "languages": " " + " ".join(c for c in codes if c) + " ",
    }


def version(ctx: Context, opportunity_id: int, number: int | None = None) -> OpportunityVersion:
    """Public: a published version (the latest when ``number`` is None)."""
    query = select(OpportunityVersion).where(OpportunityVersion.opportunity_id == opportunity_id)
    if number is None:
        query = query.where(OpportunityVersion.is_latest.is_(True))
    else:
        query = query.where(OpportunityVersion.version == number)
    found = ctx.session.scalar(query)
    if found is None:
        raise NotFound(f"opportunity {opportunity_id} has no published version {number or ''}")
    return found


def list_for_provider(ctx: Context, provider_id: int) -> list[Opportunity]:
    ctx.actor.require("read", provider_id)
    query = select(Opportunity).where(Opportunity.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(Opportunity.id)))
