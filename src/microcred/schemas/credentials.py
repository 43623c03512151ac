"""Issued credentials, batches of them, and the audit trail."""

from __future__ import annotations

from typing import Any, Self

from pydantic import ConfigDict, Field

from microcred.adapters.db.tables import AuditEvent, Batch, Credential
from microcred.schemas.base import Form, JsonObject, Moment, RowError, documented, moment
from microcred.services.issuance import parsed_document


class CredentialDocument(JsonObject):
    """A signed credential as issued (Data Integrity): every member kept as signed."""

    model_config = ConfigDict(json_schema_extra=documented(**{
        "@context": {"type": "array"}, "id": {"type": "string"},
        "type": {"type": "array", "items": {"type": "string"}},
        "issuer": {}, "credentialSubject": {}, "credentialStatus": {}, "proof": {}}))  # fmt: skip


Document = CredentialDocument | str
"""The secured document as issued: a JSON object, or a compact JWT / SD-JWT string."""


class LearnerOut(Form):
    name: str | None
    email: str | None
    id: str | None


class StatusEntryOut(Form):
    """Where the credential's bits sit in its provider's status lists."""

    list: int
    index: int


class CredentialSummary(Form):
    """An issued credential's metadata (as listed: without its document)."""

    id: str
    provider_id: int
    batch_id: str | None
    opportunity_version_id: int | None
    learner: LearnerOut
    format: str
    suite: str
    issued_at: Moment
    state: str = Field(description="active, revoked or suspended")
    state_reason: str | None
    status: StatusEntryOut

    @classmethod
    def of(cls, row: Credential) -> Self:
        return cls.model_validate(_members(row))


class CredentialOut(CredentialSummary):
    """An issued credential with its secured document as issued."""

    document: Document

    @classmethod
    def of(cls, row: Credential) -> Self:
        return cls.model_validate({**_members(row), "document": parsed_document(row)})


def _members(row: Credential) -> dict[str, Any]:
    return {
        "id": row.id, "provider_id": row.provider_id, "batch_id": row.batch_id,
        "opportunity_version_id": row.opportunity_version_id,
        "learner": {"name": row.learner_name, "email": row.learner_email, "id": row.learner_id},
        "format": row.format, "suite": row.suite, "issued_at": moment(row.issued_at),
        "state": row.state, "state_reason": row.state_reason,
        "status": {"list": row.status_list, "index": row.status_index},
    }  # fmt: skip


class IssuedCredential(Form):
    """VC-API: the credential as signed."""

    verifiableCredential: Document


class BatchOut(Form):
    """A batch's progress, with the rows that were not issued."""

    id: str
    provider_id: int
    state: str = Field(description="pending, running, done or failed")
    opportunity_version_id: int
    suite: str
    format: str
    total: int
    issued: int
    failed: int
    created_by: str
    created_at: Moment
    updated_at: Moment
    errors: list[RowError]

    @classmethod
    def of(cls, batch: Batch, errors: list[dict[str, Any]]) -> Self:
        return cls(
            id=batch.id, provider_id=batch.provider_id, state=batch.state,
            opportunity_version_id=batch.opportunity_version_id, suite=batch.suite,
            format=batch.format, total=batch.total, issued=batch.issued, failed=batch.failed,
            created_by=batch.created_by, created_at=moment(batch.created_at),
            updated_at=moment(batch.updated_at),
            errors=[RowError.model_validate(e) for e in errors],
        )  # fmt: skip


class AuditEventOut(Form):
    """One change, who made it and why."""

    id: int
    at: Moment
    actor: str
    provider_id: int | None
    action: str
    target_type: str
    target_id: str
    reason: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, event: AuditEvent) -> Self:
        return cls(
            id=event.id,
            at=event.at.isoformat().replace("+00:00", "Z"),
            actor=event.actor,
            provider_id=event.provider_id,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            reason=event.reason,
            detail=event.detail,
        )
