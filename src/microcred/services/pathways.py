"""Learning pathways on the platform (issue 11): a provider publishes versioned stacking rules;
an officer of that provider evaluates submitted credentials against them (each verified first,
the verifier's reports and the engine's trace kept), records a decision and issues the larger
credential naming its parts. Services flush; the entry point commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from microcred.adapters.db.tables import Credential, PathwayEvaluation, PathwayRules, Provider
from microcred.core.errors import InvalidStackingRules, InvalidTransition
from microcred.core.i18n import pick
from microcred.core.model import Learner, Organisation, Place, QualityAssurance
from microcred.core.stacking import Evaluation, HeldCredential, RuleSet, evaluate, parse_rules
from microcred.core.stacking.larger import larger_credential
from microcred.core.stacking.trace import NodeTrace, Outcome
from microcred.services import audit, opportunities
from microcred.services.context import Context
from microcred.services.errors import Conflict, InvalidInput, NotFound
from microcred.services.learner import delivery
from microcred.services.model_issuance import issue_model
from microcred.services.submitted import Document, kept_credentials, verified_credentials

Verdict = Literal["accept", "accept-with-conditions", "refuse"]


class DecisionIn(BaseModel):
    """An officer's decision on an evaluation; accepting issues the larger credential."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    decision: Verdict = Field(description="accept, accept-with-conditions or refuse")
    reasons: str = Field(min_length=1, max_length=5000, description="why (required)")
    conditions: str | None = Field(
        None, max_length=5000, description="what remains (accept-with-conditions only)"
    )


def _provider(ctx: Context, provider_id: int) -> Provider:
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def _library(ctx: Context, provider_id: int) -> dict[str, Any]:
    """The provider's published rule sets by id (latest version), for ``rules`` nodes."""
    rows = ctx.session.scalars(select(PathwayRules).where(PathwayRules.provider_id == provider_id)
                               .order_by(PathwayRules.published_at))  # fmt: skip
    return {row.rules_id: row.document for row in rows}


def read_rules(ctx: Context, provider_id: int, data: Any) -> RuleSet:
    """The rules ``data`` describes; InvalidInput naming the node or field at fault."""
    try:
        return parse_rules(data, library=_library(ctx, provider_id))
    except InvalidStackingRules as exc:
        raise InvalidInput(exc.message, field=f"rules.{exc.path}", code=exc.code) from None


def publish(ctx: Context, provider_id: int, data: Any) -> PathwayRules:
    """Publish one version of stacking rules; Conflict when that version exists already."""
    ctx.actor.require("manage", provider_id)
    _provider(ctx, provider_id)
    rules = read_rules(ctx, provider_id, data)
    for name, value, limit in (("id", rules.id, 500), ("version", rules.version, 100)):
        if len(value) > limit:
            raise InvalidInput(f"the rules' {name} is longer than {limit} characters",
                               field=f"rules.{name}")  # fmt: skip
    taken = select(PathwayRules.id).where(
        PathwayRules.provider_id == provider_id, PathwayRules.rules_id == rules.id,
        PathwayRules.version == rules.version,
    )  # fmt: skip
    if ctx.session.scalar(taken) is not None:
        raise Conflict(f"rules {rules.id} version {rules.version} are already published; "
                       "publish a new version")  # fmt: skip
    row = PathwayRules(id=ctx.new_id(), provider_id=provider_id, rules_id=rules.id,
                       version=rules.version, title=dict(rules.title), document=dict(data),
                       published_at=ctx.now(), published_by=ctx.actor.name)  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "pathway.publish", "pathway_rules", row.id, provider_id=provider_id)
    ctx.session.flush()
    return row


def list_rules(ctx: Context, provider_id: int) -> list[PathwayRules]:
    """A provider's published rules, newest first."""
    ctx.actor.require("read", provider_id)
    _provider(ctx, provider_id)
    query = select(PathwayRules).where(PathwayRules.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(PathwayRules.published_at.desc(),
                                                   PathwayRules.id)))  # fmt: skip


def get_rules(ctx: Context, rules_row_id: str) -> PathwayRules:
    row = ctx.session.get(PathwayRules, rules_row_id)
    if row is None:
        raise NotFound(f"no published rules {rules_row_id}")
    ctx.actor.require("read", row.provider_id)
    return row


def learner_of(given: Mapping[str, Any] | None, held: Sequence[HeldCredential]) -> dict[str, Any]:
    """The learner given, else the first credential's learner (Annex I form)."""
    if given:
        return dict(given)
    for one in held:
        if one.credential.learner is not None:
            return one.credential.learner.model_dump(mode="json", exclude_none=True,
                                                     exclude_defaults=True)  # fmt: skip
    raise InvalidInput("no submitted credential names its learner: give the learner",
                       field="learner")  # fmt: skip


def evaluate_submitted(
    ctx: Context, rules_row_id: str, documents: Sequence[Document],
    learner: Mapping[str, Any] | None = None,
) -> PathwayEvaluation:  # fmt: skip
    """Verify each document, evaluate the credentials against the rules, keep everything
    (an officer of the receiving organisation submits them)."""
    rules_row = get_rules(ctx, rules_row_id)
    ctx.actor.require("decide", rules_row.provider_id)
    return record_evaluation(ctx, rules_row, documents, learner)


def record_evaluation(
    ctx: Context, rules_row: PathwayRules, documents: Sequence[Document],
    learner: Mapping[str, Any] | None = None, *, account_id: str | None = None,
    wallet_ids: Sequence[str] = (),
) -> PathwayEvaluation:  # fmt: skip
    """Verify, evaluate and keep (the caller checked who may ask); ``account_id`` and
    ``wallet_ids`` when a learner asked from the wallet (each document's wallet entry)."""
    rules = read_rules(ctx, rules_row.provider_id, rules_row.document)
    submitted = verified_credentials(ctx, documents)
    result = evaluate(rules, submitted.held, ctx.now())
    kept = submitted.documents
    if wallet_ids:
        kept = [{**item, "wallet_id": w} for item, w in zip(kept, wallet_ids, strict=True)]
    row = PathwayEvaluation(
        id=ctx.new_id(), provider_id=rules_row.provider_id, rules_row_id=rules_row.id,
        outcome=str(result.outcome), submitted=kept, reports=submitted.reports,
        result=result.to_dict(), learner=learner_of(learner, submitted.held),
        evaluated_at=ctx.now(), evaluated_by=ctx.actor.name, account_id=account_id,
    )  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "pathway.evaluate", "pathway_evaluation", row.id,
                 provider_id=row.provider_id, detail={"outcome": row.outcome})  # fmt: skip
    ctx.session.flush()
    return row


def get_evaluation(ctx: Context, evaluation_id: str) -> PathwayEvaluation:
    row = ctx.session.get(PathwayEvaluation, evaluation_id)
    if row is None:
        raise NotFound(f"no evaluation {evaluation_id}")
    ctx.actor.require("read", row.provider_id)
    return row


def list_evaluations(ctx: Context, rules_row_id: str) -> list[PathwayEvaluation]:
    """The evaluations made against one published version, newest first."""
    rules_row = get_rules(ctx, rules_row_id)
    query = select(PathwayEvaluation).where(PathwayEvaluation.rules_row_id == rules_row.id)
    return list(ctx.session.scalars(query.order_by(PathwayEvaluation.evaluated_at.desc(),
                                                   PathwayEvaluation.id)))  # fmt: skip


def decide(ctx: Context, evaluation_id: str, data: DecisionIn) -> PathwayEvaluation:
    """Record the officer's decision (once: a decision is final); accepting issues the larger
    credential naming the parts the evaluation counted."""
    row = get_evaluation(ctx, evaluation_id)
    ctx.actor.require("decide", row.provider_id)
    if row.decision is not None:
        raise Conflict(f"evaluation {row.id} is closed: already decided ({row.decision})")
    if data.decision == "accept-with-conditions" and not data.conditions:
        raise InvalidInput("accepting with conditions says what they are", field="conditions")
    if data.decision != "accept-with-conditions" and data.conditions:
        raise InvalidInput("conditions go with accept-with-conditions only", field="conditions")
    if data.decision != "refuse":
        larger = _issue_larger(ctx, row)
        row.credential_id = larger.id
        if row.account_id is not None:
            delivery.deliver(ctx, row.account_id, larger)  # erasure clears account_id
    row.decision, row.reasons, row.conditions = data.decision, data.reasons, data.conditions
    row.decided_at, row.decided_by = ctx.now(), ctx.actor.name
    audit.record(ctx, f"pathway.{data.decision}", "pathway_evaluation", row.id,
                 provider_id=row.provider_id, reason=data.reasons)  # fmt: skip
    ctx.session.flush()
    return row


def credential_titles(row: PathwayEvaluation, language: str) -> dict[str, str]:
    """Each kept credential's title in ``language`` (else its key), by key: for the pages."""
    titles = {}
    for held in kept_credentials(row.submitted, row.reports):
        title = held.credential.title or {}
        titles[held.key] = pick(title, language) or held.key
    return titles


def stored_evaluation(row: PathwayEvaluation, rules: RuleSet) -> Evaluation:
    """The parts of the stored result the larger credential needs (rules, outcome, consumed)."""
    result = row.result
    trace = NodeTrace("root", "", "", Outcome(result["outcome"]))
    return Evaluation(rules.id, rules.version, row.evaluated_at, Outcome(result["outcome"]),
                      trace, tuple(result["consumed"]), bool(result.get("cut")))  # fmt: skip


def _issue_larger(ctx: Context, row: PathwayEvaluation) -> Credential:
    rules_row = get_rules(ctx, row.rules_row_id)
    rules = read_rules(ctx, row.provider_id, rules_row.document)
    provider = _provider(ctx, row.provider_id)
    defaults = opportunities.provider_defaults(ctx, provider)
    try:
        mc = larger_credential(
            rules, stored_evaluation(row, rules), kept_credentials(row.submitted, row.reports),
            learner=Learner.model_validate(row.learner),
            awarding_body=Organisation.model_validate(defaults["awarding_bodies"][0]),
            place=Place.model_validate(defaults["issuer_countries"][0]),
            issued=ctx.now(), confirmed_by=ctx.actor.name,
            quality_assurance=tuple(QualityAssurance.model_validate(q)
                                    for q in defaults["quality_assurance"]),
        )  # fmt: skip
    except InvalidTransition as exc:
        raise Conflict(f"evaluation {row.id} cannot be accepted: {exc.message}") from None
    return issue_model(ctx, provider, mc, purpose="pathway.issue", subject=f"pathway:{row.id}")
