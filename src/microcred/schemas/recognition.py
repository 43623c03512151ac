"""Recognition cases: their state, the verifier's reports, the audit trail and the decision."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Self

from pydantic import Field, RootModel

from microcred.adapters.db.case_tables import RecognitionRuleRow
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
    proposal: dict[str, Any] | None = Field(
        description="an automatic rule's proposed decision awaiting a person: rule, decision"
    )
    from_wallet: bool = Field(description="submitted by the learner from their wallet")
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
            reports=row.reports, decision=_decision(row), proposal=_proposal(case),
            from_wallet=row.learner_account is not None, audit=[
                AuditEntryOut(at=moment(e.at), actor=e.actor, event=e.event, state=str(e.state))
                for e in case.audit],
            decision_in_force=None if in_force is None else {"outcome": in_force.outcome,
                                                             "reasons": in_force.reasons},
            time_to_decision_seconds=None if ttd is None else ttd.total_seconds(),
            credential_id=row.credential_id, created_at=moment(row.created_at),
            updated_at=moment(row.updated_at),
        )  # fmt: skip


def _proposal(case: Case) -> dict[str, Any] | None:
    made = case.proposal
    if made is None:
        return None
    decision = {k: v for k, v in asdict(made.decision).items() if v not in (None, ())}
    if decision.get("ects_granted") is not None:
        decision["ects_granted"] = str(decision["ects_granted"])
    return {"rule": made.rule, "decision": decision}


class RuleOut(Form):
    """An automatic recognition rule of an authority."""

    rule_id: str
    provider_id: int
    providers: list[str] = Field(description="awarding bodies covered (any when empty)")
    qa_types: list[str]
    qa_valid_at_issue: bool
    decision: dict[str, Any]
    active: bool
    created_at: Moment
    created_by: str

    @classmethod
    def of(cls, row: RecognitionRuleRow) -> Self:
        return cls(rule_id=row.rule_id, provider_id=row.provider_id, providers=row.providers,
                   qa_types=row.qa_types, qa_valid_at_issue=row.qa_valid_at_issue,
                   decision=row.decision, active=row.active, created_at=moment(row.created_at),
                   created_by=row.created_by)  # fmt: skip


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
