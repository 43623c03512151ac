"""The platform's tables (SQLAlchemy 2 typed ORM). Signed documents are stored verbatim as text.

Columns beside a document hold what queries need; the document itself is never re-serialised.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from microcred.adapters.db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Provider(Base):
    """A registered education or training provider (an awarding body)."""

    __tablename__ = "providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    legal_name: Mapped[dict[str, Any]]
    identifiers: Mapped[list[Any]]
    country: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(30))  # public / private-...; None: unknown
    homepage: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[dict[str, Any]]
    quality_assurance: Mapped[list[Any]]
    status_counter: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SigningKey(Base):
    """A provider's (or, with no provider, the platform's) signing key, encrypted at rest."""

    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    key_type: Mapped[str] = mapped_column(String(20))
    public_multibase: Mapped[str] = mapped_column(String(200), unique=True)
    private_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]  # rotated out: still verifies old credentials
    revoked_at: Mapped[datetime | None]  # compromised: listed, no longer verifies


class SealCertificate(Base):
    """A provider's electronic-seal certificate (X.509 chain) and its key, encrypted at rest.

    Sealed EDCs (JAdES) are signed with the newest one that is not retired.
    """

    __tablename__ = "seal_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(1000))
    issuer: Mapped[str] = mapped_column(String(1000))
    serial: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the leaf's DER, hex
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    chain_pem: Mapped[str] = mapped_column(Text)  # leaf first
    private_encrypted: Mapped[str] = mapped_column(Text)  # PKCS#8 PEM, encrypted
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]


class ApiKey(Base):
    """A bearer API key: only a hash of its secret is kept."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(30))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    country: Mapped[str | None] = mapped_column(String(2))  # statistics-reader keys only


class Opportunity(Base):
    """A learning opportunity of a provider: an editable draft and published versions."""

    __tablename__ = "opportunities"
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    draft: Mapped[dict[str, Any] | None]
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OpportunityVersion(Base):
    """An immutable published version, with the columns the public catalogue filters on."""

    __tablename__ = "opportunity_versions"
    __table_args__ = (UniqueConstraint("opportunity_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    published_at: Mapped[datetime]
    is_latest: Mapped[bool] = mapped_column(Boolean, index=True)
    search_text: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(200))
    eqf: Mapped[int | None] = mapped_column(Integer)
    ects: Mapped[float | None] = mapped_column(Float)
    isced: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[str] = mapped_column(String(500))  # " en fr " for LIKE '% en %'


class Credential(Base):
    """An issued credential: the signed document verbatim, and its learner and status."""

    __tablename__ = "credentials"
    __table_args__ = (
        UniqueConstraint("provider_id", "idempotency_key"),
        Index("ix_credentials_uptake", "provider_id", "opportunity_version_id", "issued_at",
              "state"),  # statistics scan this, not the documents (migration 0008)
    )  # fmt: skip
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    opportunity_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunity_versions.id")
    )
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"), index=True)
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    # a sealed EDC (suite jades): the certificate that sealed it; signing_key_id is then the
    # provider's key of the status lists the credential points to
    seal_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("seal_certificates.id"))
    idempotency_key: Mapped[str] = mapped_column(String(128))
    learner_name: Mapped[str | None] = mapped_column(String(300))
    learner_email: Mapped[str | None] = mapped_column(String(300), index=True)
    learner_id: Mapped[str | None] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(20))
    suite: Mapped[str] = mapped_column(String(40))
    document: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime]
    status_list: Mapped[int] = mapped_column(Integer)
    status_index: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="active")
    state_reason: Mapped[str | None] = mapped_column(Text)


class StatusListRow(Base):
    """One bitstring of a provider (purpose revocation or suspension); signed copy cached."""

    __tablename__ = "status_lists"
    __table_args__ = (UniqueConstraint("provider_id", "purpose", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    signed: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class Batch(Base):
    """A batch issuance job: resumable, one item per learner."""

    __tablename__ = "batches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    opportunity_version_id: Mapped[int] = mapped_column(ForeignKey("opportunity_versions.id"))
    suite: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]


class BatchItem(Base):
    """One row of a batch: a learner to issue to, or an input line that could not be read."""

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "line"),
        Index("ix_batch_items_batch_state", "batch_id", "state", "line"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"))
    line: Mapped[int] = mapped_column(Integer)
    learner: Mapped[dict[str, Any]]
    grade: Mapped[str | None] = mapped_column(String(200))
    achieved: Mapped[str | None] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(20))
    credential_id: Mapped[str | None] = mapped_column(String(36))
    error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who did what, when, to which record, and why."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]]


class SearchEntry(Base):
    """What the search needs of one published opportunity (its latest version)."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_filters", "eqf", "isced", "nuts", "recognition", "ects",
              "price_eur", "start_date", "doc_key"),  # covering: filters skip the JSON (0015)
    )  # fmt: skip
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    doc_key: Mapped[str] = mapped_column(String(20), index=True)  # ties are broken by this text
    document: Mapped[dict[str, Any]]  # the SearchDocument, for hits and explanations
    nuts: Mapped[str | None] = mapped_column(String(10))
    isced: Mapped[str | None] = mapped_column(String(10))
    eqf: Mapped[int | None] = mapped_column(Integer)
    recognition: Mapped[bool] = mapped_column(Boolean)
    ects: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    price_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    start_date: Mapped[date | None] = mapped_column(Date)


class SearchValue(Base):
    """One value under which an entry counts in one facet (ISCED-F: every prefix)."""

    __tablename__ = "search_values"
    __table_args__ = (Index("ix_search_values_facet_value", "facet", "value"),)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("search_documents.opportunity_id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(70), primary_key=True)


class SearchGeneration(Base):
    """The index generation's stamp (one row): every index write replaces it in its transaction,
    so a process knows when to reload its facet bitmaps (``search_bitmaps``, migration 0018)."""

    __tablename__ = "search_generation"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stamp: Mapped[str] = mapped_column(String(32))


class SearchChange(Base):
    """What one index generation changed: its stamp, the stamp it replaced, one opportunity
    whose entry changed (none: the whole index); a process patches its bitmaps by these
    (``search_bitmaps``, migration 0021)."""

    __tablename__ = "search_changes"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    stamp: Mapped[str] = mapped_column(String(32), index=True)
    previous: Mapped[str] = mapped_column(String(32))
    opportunity_id: Mapped[int | None] = mapped_column(Integer)


class SiteIdentity(Base):
    """The public address the site's DIDs and URLs were made with (one row, recorded once)."""

    __tablename__ = "site_identity"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_url: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime]


class EscoEntry(Base):
    """One concept of an imported ESCO release (``microcred esco import``), laid over the
    packaged subset: a skill, an occupation (with its skill links) or only broader links."""

    __tablename__ = "esco_entries"
    uri: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # skill, occupation, broader
    body: Mapped[dict[str, Any]]


class PathwayRules(Base):
    """One published version of a provider's stacking rules (immutable once published)."""

    __tablename__ = "pathway_rules"
    __table_args__ = (UniqueConstraint("provider_id", "rules_id", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    rules_id: Mapped[str] = mapped_column(String(500))  # the rule set's own id (a URI)
    version: Mapped[str] = mapped_column(String(100))
    title: Mapped[dict[str, Any]]
    document: Mapped[dict[str, Any]]  # the rules as published
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(200))


class PathwayEvaluation(Base):
    """Credentials submitted to a provider evaluated against its rules, with the verifier's
    reports and the engine's trace; then the officer's decision and the larger credential."""

    __tablename__ = "pathway_evaluations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    rules_row_id: Mapped[str] = mapped_column(ForeignKey("pathway_rules.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # satisfied, not-satisfied, needs-person
    submitted: Mapped[list[Any]]  # [{"key", "document"}] as submitted
    reports: Mapped[dict[str, Any]]  # the verifier's report by credential key
    result: Mapped[dict[str, Any]]  # Evaluation.to_dict(): outcome, consumed, trace
    learner: Mapped[dict[str, Any]]  # the Annex I learner of the larger credential
    evaluated_at: Mapped[datetime]
    evaluated_by: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(String(30))  # accept, accept-with-conditions...
    conditions: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    credential_id: Mapped[str | None] = mapped_column(ForeignKey("credentials.id"))
    # the learner account that asked from its wallet (None: submitted by the organisation)
    account_id: Mapped[str | None] = mapped_column(String(36), index=True)


class RecognitionCaseRow(Base):
    """A recognition case of an authority (a provider): its submitted documents, the
    verifier's reports and its events (replayed through the core's state machine)."""

    __tablename__ = "recognition_cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), index=True)
    applicant: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    learner: Mapped[dict[str, Any]]
    submitted: Mapped[list[Any]]  # [{"key", "document"}] as submitted
    reports: Mapped[dict[str, Any]]  # the verifier's report by credential key
    events: Mapped[list[Any]]  # every accepted event after the submission, as JSON
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    credential_id: Mapped[str | None] = mapped_column(ForeignKey("credentials.id"))
    # the wallet account of a learner who submitted from their wallet (the decision goes there)
    learner_account: Mapped[str | None] = mapped_column(String(36), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))  # of the issued decision (0013)
    decided_at: Mapped[datetime | None]  # when that decision was issued
