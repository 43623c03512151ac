"""Automatic recognition rules of a competent authority (issue 11 §3): it declares the
provider / quality-assurance combinations it accepts; when the facts of a case are gathered and
one active rule covers every verified credential, the system records a proposed decision, which
an officer confirms (``decided`` with ``confirms``) or replaces."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from microcred.adapters.db.case_tables import RecognitionRuleRow
from microcred.adapters.db.tables import Provider
from microcred.core.recognition import AutomaticRule, Case, propose
from microcred.services import audit
from microcred.services.context import Context
from microcred.services.errors import Conflict, NotFound
from microcred.services.recognition_forms import DecisionBody

SYSTEM_ACTOR = "system (automatic recognition)"


class RuleIn(BaseModel):
    """Credentials awarded by ``providers`` (their ids, e.g. did:web:...; any provider when
    empty) with quality assurance of one of ``qa_types`` (valid on the date of issue when
    ``qa_valid_at_issue``) are proposed for the rule's decision."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    rule_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$",
                         description="the rule's name at this authority")  # fmt: skip
    providers: list[str] = Field(default_factory=list, max_length=200)
    qa_types: list[str] = Field(min_length=1, max_length=50,
                                description="QA type URIs (EU Vocabularies)")  # fmt: skip
    qa_valid_at_issue: bool = True
    decision: DecisionBody = Field(description="the decision proposed (usually full)")


def _authority(ctx: Context, provider_id: int) -> Provider:
    ctx.actor.require("recognise", provider_id)
    found = ctx.session.get(Provider, provider_id)
    if found is None:
        raise NotFound(f"no provider {provider_id}")
    return found


def declare(ctx: Context, provider_id: int, data: RuleIn) -> RecognitionRuleRow:
    """Declare a rule (409 when the authority already has one of that name)."""
    _authority(ctx, provider_id)
    _as_core(data.model_dump(mode="json"), provider_id)  # the decision is checked here
    taken = select(RecognitionRuleRow.id).where(
        RecognitionRuleRow.provider_id == provider_id, RecognitionRuleRow.rule_id == data.rule_id
    )
    if ctx.session.scalar(taken) is not None:
        raise Conflict(f"rule_id: this authority already has a rule {data.rule_id!r}")
    row = RecognitionRuleRow(
        id=ctx.new_id(), provider_id=provider_id, rule_id=data.rule_id,
        providers=data.providers, qa_types=data.qa_types,
        qa_valid_at_issue=data.qa_valid_at_issue,
        decision=data.decision.model_dump(mode="json", exclude_none=True), active=True,
        created_at=ctx.now(), created_by=ctx.actor.name,
    )  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "recognition.rule-declared", "recognition_rule", row.id,
                 provider_id=provider_id, detail={"rule_id": data.rule_id})  # fmt: skip
    ctx.session.flush()
    return row


def list_rules(ctx: Context, provider_id: int) -> list[RecognitionRuleRow]:
    _authority(ctx, provider_id)
    query = select(RecognitionRuleRow).where(RecognitionRuleRow.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(RecognitionRuleRow.created_at,
                                                   RecognitionRuleRow.rule_id)))  # fmt: skip


def retire(ctx: Context, provider_id: int, rule_id: str) -> RecognitionRuleRow:
    """Stop proposing from a rule (it stays on record for the cases it proposed in)."""
    row = next((r for r in list_rules(ctx, provider_id) if r.rule_id == rule_id), None)
    if row is None:
        raise NotFound(f"no rule {rule_id!r} at this authority")
    row.active = False
    audit.record(ctx, "recognition.rule-retired", "recognition_rule", row.id,
                 provider_id=provider_id, detail={"rule_id": rule_id})  # fmt: skip
    ctx.session.flush()
    return row


def _as_core(stored: dict[str, Any], provider_id: int) -> AutomaticRule:
    decision = DecisionBody.model_validate(stored["decision"]).core()
    return AutomaticRule(stored["rule_id"], str(provider_id), tuple(stored["qa_types"]),
                         decision, tuple(stored["providers"]),
                         bool(stored["qa_valid_at_issue"]))  # fmt: skip


def proposal(ctx: Context, provider_id: int, case: Case) -> dict[str, Any] | None:
    """The stored ``proposal-made`` event for a case whose facts were just gathered, if one of
    the authority's active rules covers every verified credential."""
    rows = {row.rule_id: row for row in ctx.session.scalars(select(RecognitionRuleRow).where(
        RecognitionRuleRow.provider_id == provider_id, RecognitionRuleRow.active.is_(True),
    ).order_by(RecognitionRuleRow.created_at, RecognitionRuleRow.rule_id))}  # fmt: skip
    rules = [_as_core(_stored_rule(row), provider_id) for row in rows.values()]
    facts = [f for f in case.facts if f.key in case.verified]
    if not case.verified or len(facts) != len(case.submission.credentials):
        return None  # a credential that did not verify needs a person
    found = propose(rules, str(provider_id), facts)
    if found is None:
        return None
    rule = found[0]
    return {"type": "proposal-made", "actor": SYSTEM_ACTOR, "at": ctx.now().isoformat(),
            "rule": rule.id, "decision": rows[rule.id].decision}  # fmt: skip


def _stored_rule(row: RecognitionRuleRow) -> dict[str, Any]:
    return {"rule_id": row.rule_id, "qa_types": row.qa_types, "providers": row.providers,
            "qa_valid_at_issue": row.qa_valid_at_issue, "decision": row.decision}  # fmt: skip
