"""Tables of recognition rules and of validations of non-formal and informal learning
(issue 11 §3-4): an authority's automatic recognition rules; a validation case with its stored
events and its evidence files (kept in the database with the case, one tenant each)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from microcred.adapters.db.tables import Base


class RecognitionRuleRow(Base):
    """An automatic recognition rule of an authority: credentials of these providers (any when
    empty) with one of these QA types are recognised as ``decision`` says, once a person
    confirms the proposal."""

    __tablename__ = "recognition_rules"
    __table_args__ = (UniqueConstraint("provider_id", "rule_id"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    providers: Mapped[list[Any]]
    qa_types: Mapped[list[Any]]
    qa_valid_at_issue: Mapped[bool] = mapped_column(Boolean)
    decision: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))


class ValidationCaseRow(Base):
    """A validation of a candidate's non-formal or informal learning at an organisation: its
    events (replayed through ``core.validation``) and, once certified, the credential."""

    __tablename__ = "validation_cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    candidate: Mapped[str] = mapped_column(String(500))
    learner: Mapped[dict[str, Any]]  # the Annex I learner of the micro-credential
    title: Mapped[dict[str, Any]]  # the micro-credential's title (a language map)
    setting: Mapped[str] = mapped_column(String(20))  # non-formal | informal
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id"))
    events: Mapped[list[Any]]  # every event, the identification first, as JSON
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    credential_id: Mapped[str | None] = mapped_column(ForeignKey("credentials.id"))
    learner_account: Mapped[str | None] = mapped_column(String(36), index=True)


class ValidationEvidenceRow(Base):
    """One evidence file of a validation case, kept with it (bytes and metadata)."""

    __tablename__ = "validation_evidence"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("validation_cases.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    outcomes: Mapped[list[Any]]
    description: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(200))
