"""Issue one credential to one learner: idempotent per learner and opportunity, status included."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from microcred.adapters.db.tables import Credential, OpportunityVersion, Provider, SigningKey
from microcred.core.proofs.jades import JADES
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.services import audit, opportunities, seal_certificates, signing_keys, statuses
from microcred.services.bounds import RowId
from microcred.services.context import Context
from microcred.services.documents import (
    Draft,
    check_format,
    issue_document,
    key_types_for,
    seal_edc,
)
from microcred.services.errors import InvalidInput, NotFound


class LearnerIn(BaseModel):
    """The learner: a name, an email, or an identifier (DID or URI) — at least one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str | None = Field(None, max_length=300)
    email: str | None = Field(None, max_length=300, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    id: str | None = Field(None, max_length=500, pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")

    @model_validator(mode="after")
    def _identified(self) -> LearnerIn:
        if not (self.name or self.email or self.id):
            raise ValueError("the learner needs a name, an email or an id")
        return self

    def model(self) -> dict[str, Any]:
        """The Annex I learner element."""
        return {k: v for k, v in (("full_name", self.name), ("email", self.email),
                                  ("id", self.id)) if v}  # fmt: skip

    def identity(self) -> str:
        """What makes two rows the same learner: id, else email, else name."""
        return (self.id or (self.email or "").casefold() or (self.name or "").casefold()).strip()


class IssueIn(BaseModel):
    """Issue one credential."""

    model_config = ConfigDict(extra="forbid")
    opportunity_id: RowId
    version: RowId | None = Field(None, description="published version (default: latest)")
    learner: LearnerIn
    grade: str | None = Field(None, max_length=200)
    date: dt.date | None = Field(None, description="date of issuing (default: now)")
    suite: str = Field(DEFAULT_SUITE, description="a proof suite, vc+jwt, or jades: an EDC "
                       "sealed with the provider's eSeal certificate (format elm)")  # fmt: skip
    format: str = "ob3"
    idempotency_key: str | None = Field(None, max_length=128)
    did_method: Literal["web", "key"] = Field(
        "web", description="issue as did:web (default) or as the key's did:key (offline)"
    )


def idempotency_key(opportunity_id: int, learner: LearnerIn) -> str:
    """One credential per learner and opportunity, unless the caller says otherwise."""
    text = f"{opportunity_id}|{learner.identity()}"
    return "auto:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def issued_at(ctx: Context, day: date | None) -> datetime:
    """The date of issuing: a given day at 00:00 UTC (never after now), else now."""
    now = ctx.now()
    if day is None:
        return now
    return min(datetime.combine(day, time(0), tzinfo=UTC), now)


def existing(ctx: Context, provider_id: int, key: str) -> Credential | None:
    query = select(Credential).where(
        Credential.provider_id == provider_id, Credential.idempotency_key == key
    )
    return ctx.session.scalar(query)


def issue(ctx: Context, data: IssueIn) -> tuple[Credential, bool]:
    """Issue (or return the one already issued under the same idempotency key); True if new."""
    version = opportunities.version(ctx, data.opportunity_id, data.version)
    ctx.actor.require("issue", version.provider_id)
    provider = ctx.session.get(Provider, version.provider_id)
    assert provider is not None
    check_format(data.format)
    if data.suite == JADES and data.format != "elm":
        raise InvalidInput("a JAdES seal secures ELM (EDC) credentials: use format elm",
                           field="format")  # fmt: skip
    key = signing_keys.active_key(ctx, provider.id, key_types_for(data.suite))
    idem = data.idempotency_key or idempotency_key(data.opportunity_id, data.learner)
    found = existing(ctx, provider.id, idem)
    if found is not None:
        return found, False
    sealed_by = seal_certificates.active_seal(ctx, provider.id) if data.suite == JADES else None
    ((number, index),) = statuses.allocate(ctx, provider.id, 1)
    pair = signing_keys.key_pair(ctx, key)
    draft = make_draft(ctx, provider, version, data, (number, index))
    method = signing_keys.verification_method(ctx, provider.slug, key)
    if data.did_method == "key":
        draft = replace(draft, issuer_did=pair.public.did_key)
        method = pair.public.did_key_vm
    if sealed_by is not None:
        text = seal_edc(draft, sealed_by[1], ctx.timestamper)
    else:
        text = issue_document(draft, pair, method, data.suite)
    row = credential_row(draft, data, provider.id, version.id, key, idem, text, number)
    row.seal_certificate_id = sealed_by[0].id if sealed_by else None
    try:
        with ctx.session.begin_nested():  # a concurrent issue of the same key wins
            ctx.session.add(row)
            audit.record(ctx, "credential.issue", "credential", row.id, provider_id=provider.id)
    except IntegrityError:
        again = existing(ctx, provider.id, idem)
        if again is None:
            raise
        return again, False
    return row, True


def make_draft(
    ctx: Context,
    provider: Provider,
    version: OpportunityVersion,
    data: IssueIn,
    place: tuple[int, int],
    batch_date: date | None = None,
) -> Draft:
    """Plain data for building one credential."""
    return Draft(
        credential_id=ctx.new_id(),
        description=version.data["credential"],
        learner=data.learner.model(),
        grade=data.grade,
        issued=issued_at(ctx, data.date or batch_date),
        issuer_did=ctx.site.provider_did(provider.slug),
        status_urls=statuses.status_urls(ctx, provider.slug, place[0]),
        status_index=place[1],
        signed_at=ctx.now(),
        fmt=data.format,
    )


def credential_row(
    draft: Draft,
    data: IssueIn,
    provider_id: int,
    version_id: int,
    key: SigningKey,
    idem: str,
    text: str,
    number: int,
    batch_id: str | None = None,
) -> Credential:
    """The stored credential: the secured document verbatim, and its query columns."""
    return Credential(**credential_values(draft, data, provider_id, version_id, key, idem, text,
                                          number, batch_id))  # fmt: skip


def credential_values(
    draft: Draft,
    data: IssueIn,
    provider_id: int,
    version_id: int,
    key: SigningKey,
    idem: str,
    text: str,
    number: int,
    batch_id: str | None = None,
) -> dict[str, Any]:
    """The columns of a stored credential (for one row, or a bulk insert of many)."""
    return {
        "id": draft.credential_id, "provider_id": provider_id,
        "opportunity_version_id": version_id, "batch_id": batch_id, "signing_key_id": key.id,
        "idempotency_key": idem, "learner_name": data.learner.name,
        "learner_email": data.learner.email, "learner_id": data.learner.id,
        "format": data.format, "suite": data.suite, "document": text, "issued_at": draft.issued,
        "status_list": number, "status_index": draft.status_index, "state": "active",
        "state_reason": None,
    }  # fmt: skip


def get(ctx: Context, credential_id: str) -> Credential:
    """A credential, for its provider."""
    row = ctx.session.get(Credential, credential_id)
    if row is None:
        raise NotFound(f"no credential {credential_id}")
    ctx.actor.require("read", row.provider_id)
    return row


def list_credentials(
    ctx: Context, provider_id: int, *, email: str | None = None, state: str | None = None,
    batch_id: str | None = None, limit: int = 50, offset: int = 0,
) -> list[Credential]:  # fmt: skip
    """A provider's credentials, newest first, optionally filtered."""
    ctx.actor.require("read", provider_id)
    query = select(Credential).where(Credential.provider_id == provider_id)
    if email:
        query = query.where(Credential.learner_email == email)
    if state:
        query = query.where(Credential.state == state)
    if batch_id:
        query = query.where(Credential.batch_id == batch_id)
    query = query.order_by(Credential.issued_at.desc(), Credential.id)
    return list(ctx.session.scalars(query.limit(min(limit, 500)).offset(offset)))


def parsed_document(row: Credential) -> Any:
    """The document as issued: JSON object for Data Integrity, the compact JWT otherwise."""
    return json.loads(row.document) if row.document.startswith("{") else row.document
