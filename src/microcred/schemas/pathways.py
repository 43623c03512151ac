"""Published stacking rules, evaluations of submitted credentials and officers' decisions."""

from __future__ import annotations

from typing import Any, Self

from pydantic import ConfigDict, Field

from microcred.adapters.db.tables import PathwayEvaluation, PathwayRules
from microcred.schemas.base import Form, JsonObject, LangText, Moment, documented, moment
from microcred.schemas.credentials import CredentialOut


class RulesOut(Form):
    """One published version of a provider's stacking rules."""

    id: str = Field(description="the platform's id of this published version")
    provider_id: int
    rules_id: str = Field(description="the rule set's own id")
    version: str
    title: LangText
    published_at: Moment
    published_by: str
    rules: dict[str, Any] = Field(description="the rules as published (docs/pathways.md)")

    @classmethod
    def of(cls, row: PathwayRules) -> Self:
        return cls(id=row.id, provider_id=row.provider_id, rules_id=row.rules_id,
                   version=row.version, title=row.title, published_at=moment(row.published_at),
                   published_by=row.published_by, rules=row.document)  # fmt: skip


class CtdlConditionsOut(JsonObject):
    """The rules as the larger credential's CTDL ``ceterms:requires`` ConditionProfiles, and the
    paths of the nodes CTDL can only carry as text (``approximated``)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra=documented(**{
            "ceterms:requires": {"type": "array", "items": {"type": "object"}},
            "approximated": {"type": "array", "items": {"type": "string"}}}),
    )  # fmt: skip


class SubmittedOut(Form):
    """A submitted credential: its key in the trace and the verifier's verdict."""

    key: str
    verified: bool


class DecisionOut(Form):
    decision: str = Field(description="accept, accept-with-conditions or refuse")
    reasons: str | None
    conditions: str | None
    decided_at: Moment
    decided_by: str | None
    credential_id: str | None = Field(description="the larger credential issued on acceptance")


class EvaluationOut(Form):
    """Credentials evaluated against published rules: the outcome, the engine's trace, the
    verifier's report on each credential, and the decision once recorded."""

    id: str
    provider_id: int
    rules: RulesRef
    outcome: str = Field(description="satisfied, not-satisfied or needs-person")
    consumed: list[str] = Field(description="the credentials counted towards the result")
    cut: bool
    trace: dict[str, Any] = Field(description="per node: outcome, used, refused, missing")
    credentials: list[SubmittedOut]
    reports: dict[str, dict[str, Any]] = Field(description="the verifier's report by key")
    learner: dict[str, Any]
    evaluated_at: Moment
    evaluated_by: str
    decision: DecisionOut | None

    @classmethod
    def of(cls, row: PathwayEvaluation, rules: PathwayRules) -> Self:
        result = row.result
        return cls(
            id=row.id, provider_id=row.provider_id,
            rules=RulesRef(id=rules.id, rules_id=rules.rules_id, version=rules.version),
            outcome=row.outcome, consumed=result["consumed"], cut=result["cut"],
            trace=result["trace"], reports=row.reports, learner=row.learner,
            credentials=[SubmittedOut(key=item["key"],
                                      verified=bool(row.reports[item["key"]]["verified"]))
                         for item in row.submitted],
            evaluated_at=moment(row.evaluated_at), evaluated_by=row.evaluated_by,
            decision=_decision(row),
        )  # fmt: skip


class RulesRef(Form):
    id: str
    rules_id: str
    version: str


def _decision(row: PathwayEvaluation) -> DecisionOut | None:
    if row.decision is None or row.decided_at is None:
        return None
    return DecisionOut(decision=row.decision, reasons=row.reasons, conditions=row.conditions,
                       decided_at=moment(row.decided_at), decided_by=row.decided_by,
                       credential_id=row.credential_id)  # fmt: skip


class DecidedOut(EvaluationOut):
    """The evaluation with its decision, and the larger credential when one was issued."""

    credential: CredentialOut | None


EvaluationOut.model_rebuild()
