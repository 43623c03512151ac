"""Recognition cases: their state, the verifier's reports, the audit trail and the decision."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, RootModel

from microcred.adapters.db.tables import RecognitionCaseRow
from microcred.core.recognition import Case, current_decision
from microcred.schemas.base import Form, Moment, moment
from microcred.schemas.pathways import SubmittedOut


class AuditEntryOut(Form):
    at: Moment
    actor: str
    event: str
    state: str


class CaseOut(Form):
    """A recognition case as its events left it."""

    id: str
    provider_id: int
    state: str = Field(
        description="submitted, authenticity-checked, facts-gathered, "
        "criteria-assessed, decided, decision-issued, appealed or withdrawn"
    )
    final: bool
    applicant: str
    purpose: str
    language: str
    credentials: list[SubmittedOut]
    reports: dict[str, dict[str, Any]] = Field(description="the verifier's report by key")
    decision: dict[str, Any] | None = Field(description="the decision being prepared")
    decision_in_force: dict[str, Any] | None = Field(description="the last issued decision")
    audit: list[AuditEntryOut]
    time_to_decision_seconds: float | None
    credential_id: str | None = Field(description="the last decision credential issued")
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, row: RecognitionCaseRow, case: Case) -> Self:
        ttd = case.time_to_decision
        in_force = current_decision(case)
        return cls(
            id=row.id, provider_id=row.provider_id, state=str(case.state), final=case.final,
            applicant=row.applicant, purpose=row.purpose, language=row.language,
            credentials=[SubmittedOut(key=item["key"],
                                      verified=bool(row.reports[item["key"]]["verified"]))
                         for item in row.submitted],
            reports=row.reports, decision=_decision(row), audit=[
                AuditEntryOut(at=moment(e.at), actor=e.actor, event=e.event, state=str(e.state))
                for e in case.audit],
            decision_in_force=None if in_force is None else {"outcome": in_force.outcome,
                                                             "reasons": in_force.reasons},
            time_to_decision_seconds=None if ttd is None else ttd.total_seconds(),
            credential_id=row.credential_id, created_at=moment(row.created_at),
            updated_at=moment(row.updated_at),
        )  # fmt: skip


def _decision(row: RecognitionCaseRow) -> dict[str, Any] | None:
    decided = [e for e in row.events if e["type"] == "decided"]
    reopened = [i for i, e in enumerate(row.events) if e["type"] == "appealed"]
    if not decided:
        return None
    last = max(i for i, e in enumerate(row.events) if e["type"] == "decided")
    if reopened and reopened[-1] > last:
        return None
    found: dict[str, Any] = row.events[last]["decision"]
    return found


class LetterPdf(RootModel[str]):
    """A recognition decision letter: a tagged A4 PDF (binary) in the case's language."""
