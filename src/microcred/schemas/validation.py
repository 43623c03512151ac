"""Validations of non-formal and informal learning: stage, claims, evidence, assessment."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, RootModel

from microcred.adapters.db.case_tables import ValidationCaseRow
from microcred.core.validation import ValidationCase
from microcred.schemas.base import Form, Moment, moment


class ValidationAuditOut(Form):
    at: Moment
    actor: str
    event: str
    stage: str


class EvidenceOut(Form):
    id: str
    name: str
    media_type: str
    size: int
    sha256: str
    outcomes: list[str]
    description: str


class ValidationOut(Form):
    """A validation as its events left it."""

    id: str
    provider_id: int
    stage: str = Field(description="identified, documented, assessed, certified or closed")
    final: bool
    candidate: str
    title: dict[str, str]
    setting: str = Field(description="non-formal or informal")
    opportunity_id: int | None
    claims: list[dict[str, Any]] = Field(description="id, text, skills, opportunity_outcome")
    evidence: list[EvidenceOut]
    assessment: dict[str, Any] | None = Field(description="method and the result per outcome")
    met: list[str] = Field(description="the claimed outcomes assessed as met")
    audit: list[ValidationAuditOut]
    credential_id: str | None = Field(description="the micro-credential, once certified")
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: ValidationCaseRow, case: ValidationCase) -> Self:
        evidence = [EvidenceOut(**item) for e in row.events if e["type"] == "documented"
                    for item in e["evidence"]]  # fmt: skip
        assessed = case.assessment
        return cls(
            id=row.id, provider_id=row.provider_id, stage=str(case.stage), final=case.final,
            candidate=row.candidate, title=row.title, setting=row.setting,
            opportunity_id=row.opportunity_id, claims=row.events[0]["claims"],
            evidence=evidence, met=list(case.met),
            assessment=None if assessed is None else {
                "method": assessed.method,
                "results": [{"outcome": r.outcome, "met": r.met, "comment": r.comment}
                            for r in assessed.results]},
            audit=[ValidationAuditOut(at=moment(a.at), actor=a.actor, event=a.event,
                                      stage=str(a.stage)) for a in case.audit],
            credential_id=row.credential_id, created_at=moment(row.created_at),
            updated_at=moment(row.updated_at),
        )  # fmt: skip


class EvidenceFile(RootModel[str]):
    """An evidence file as it was uploaded (binary, its own media type)."""
