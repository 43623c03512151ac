"""Recognition cases on the platform (issue 11 §3): an authority (a provider) opens a case for
submitted credentials (each verified first, the reports kept), moves it through the core's
state machine (``microcred.core.recognition``), and issuing the decision sends the signed
decision credential. Events are stored as JSON and replayed; services flush, entry points
commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from microcred.adapters.db.tables import Credential, Provider, RecognitionCaseRow
from microcred.adapters.pdf.render import render_letter_pdf
from microcred.core.i18n import pick
from microcred.core.model import Learner, Organisation, Place
from microcred.core.recognition import (
    Appealed,
    AuthenticityChecked,
    Case,
    CriteriaAssessed,
    CriterionScore,
    Decided,
    Decision,
    DecisionIssued,
    Event,
    FactsGathered,
    Submitted,
    Withdrawn,
    apply,
    gather_facts,
    open_case,
)
from microcred.core.recognition.decision_credential import decision_achievement, decision_model
from microcred.core.recognition.letter import decision_letter, letter_language
from microcred.core.stacking import HeldCredential
from microcred.services import audit, opportunities
from microcred.services.bounds import RowId
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.model_issuance import issue_model
from microcred.services.pathways import learner_of
from microcred.services.submitted import Document, kept_credentials, verified_credentials

EventType = Literal["authenticity-checked", "facts-gathered", "criteria-assessed", "decided",
                    "decision-issued", "appealed", "withdrawn"]  # fmt: skip
LANGUAGES = ("en", "fr", "ro", "de")


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criterion: str = Field(
        max_length=40,
        description="quality, level, workload, "
        "learning_outcomes, assessment, identity_verification, relevance",
    )
    score: str = Field(max_length=20, description="strong, substantial, weak or none")
    comment: str = Field(max_length=2000)


class DecisionBody(BaseModel):
    """A recognition decision (docs/recognition.md): full, partial, alternative, conditional
    or refused, with its reasons and what it grants or requires."""

    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(
        max_length=20, description="full, partial, alternative, conditional or refused"
    )
    reasons: str = Field(max_length=5000)
    ects_granted: Decimal | None = Field(None, ge=0, le=1000)
    outcomes_recognised: list[str] = Field(default_factory=list, max_length=100)
    alternative: str | None = Field(None, max_length=2000)
    remaining: str | None = Field(None, max_length=2000)
    substantial_differences: list[str] = Field(default_factory=list, max_length=100)

    def core(self) -> Decision:
        return Decision(self.outcome,  # type: ignore[arg-type]  # checked by Decision itself
                        self.reasons, self.ects_granted, tuple(self.outcomes_recognised),
                        self.alternative, self.remaining,
                        tuple(self.substantial_differences))  # fmt: skip


class EventIn(BaseModel):
    """The next step of a case; each type reads its own fields (docs/recognition.md)."""

    model_config = ConfigDict(extra="forbid")
    type: EventType
    scores: list[ScoreIn] = Field(
        default_factory=list, max_length=20, description="criteria-assessed: all seven criteria"
    )
    decision: DecisionBody | None = Field(None, description="decided")
    grounds: str | None = Field(None, max_length=5000, description="appealed")
    reason: str | None = Field(None, max_length=5000, description="withdrawn")


class CaseIn(BaseModel):
    """A request for recognition of credentials, for a purpose."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    provider_id: RowId = Field(description="the authority (a provider) that decides")
    credentials: list[dict[str, Any] | str] = Field(min_length=1, max_length=50)
    applicant: str = Field(min_length=1, max_length=500, description="who asks (name or id)")
    purpose: str = Field(min_length=1, max_length=2000, description="e.g. admission to ...")
    language: Literal["en", "fr", "ro", "de"] = Field("en", description="the case's language")


def _authority(ctx: Context, provider_id: int) -> Provider:
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def create(ctx: Context, data: CaseIn) -> RecognitionCaseRow:
    """Open a case at the authority ``data.provider_id``; every credential is verified first."""
    provider_id = data.provider_id
    ctx.actor.require("issue", provider_id)
    provider = _authority(ctx, provider_id)
    documents: list[Document] = list(data.credentials)
    submitted = verified_credentials(ctx, documents)
    event = Submitted(ctx.actor.name, ctx.now(), data.applicant,
                      ctx.site.provider_did(provider.slug), tuple(h.key for h in submitted.held),
                      data.purpose, data.language)  # fmt: skip
    case = open_case("new", event)
    row = RecognitionCaseRow(
        id=ctx.new_id(), provider_id=provider_id, state=str(case.state),
        applicant=data.applicant, purpose=data.purpose, language=data.language,
        learner=learner_of(None, submitted.held), submitted=submitted.documents,
        reports=submitted.reports, events=[], created_at=event.at, updated_at=event.at,
    )  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "recognition.submitted", "recognition_case", row.id,
                 provider_id=provider_id)  # fmt: skip
    ctx.session.flush()
    return row


def get(ctx: Context, case_id: str) -> RecognitionCaseRow:
    row = ctx.session.get(RecognitionCaseRow, case_id)
    if row is None:
        raise NotFound(f"no recognition case {case_id}")
    ctx.actor.require("read", row.provider_id)
    return row


def list_cases(ctx: Context, provider_id: int) -> list[RecognitionCaseRow]:
    """An authority's cases, newest first."""
    ctx.actor.require("read", provider_id)
    _authority(ctx, provider_id)
    query = select(RecognitionCaseRow).where(RecognitionCaseRow.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(RecognitionCaseRow.created_at.desc(),
                                                   RecognitionCaseRow.id)))  # fmt: skip


def held_of(row: RecognitionCaseRow) -> list[HeldCredential]:
    """The case's credentials as submitted, with the verifier's verdict."""
    return kept_credentials(row.submitted, row.reports)


def _event(row: RecognitionCaseRow, stored: Mapping[str, Any]) -> Event:
    """The core event a stored one stands for (facts and verdicts come from the case)."""
    actor, at, kind = stored["actor"], datetime.fromisoformat(stored["at"]), stored["type"]
    if kind == "authenticity-checked":
        verdicts = {key: bool(report["verified"]) for key, report in row.reports.items()}
        return AuthenticityChecked(actor, at, tuple(k for k, ok in verdicts.items() if ok),
                                   tuple(k for k, ok in verdicts.items() if not ok),
                                   row.reports)  # fmt: skip
    if kind == "facts-gathered":
        return FactsGathered(actor, at, tuple(gather_facts(h) for h in held_of(row)))
    if kind == "criteria-assessed":
        scores = tuple(CriterionScore(s["criterion"], s["score"], s["comment"])
                       for s in stored["scores"])  # fmt: skip
        return CriteriaAssessed(actor, at, scores)
    if kind == "decided":
        return Decided(actor, at, DecisionBody.model_validate(stored["decision"]).core())
    if kind == "decision-issued":
        return DecisionIssued(actor, at)
    if kind == "appealed":
        return Appealed(actor, at, stored.get("grounds") or "")
    return Withdrawn(actor, at, stored.get("reason") or "")


def case_of(row: RecognitionCaseRow) -> Case:
    """The case its stored events make (replayed through the core's state machine)."""
    first = Submitted(row.applicant, row.created_at, row.applicant, "",
                      tuple(item["key"] for item in row.submitted), row.purpose,
                      row.language)  # fmt: skip
    case = open_case(row.id, first)
    for stored in row.events:
        case = apply(case, _event(row, stored))
    return case


def _stored(ctx: Context, data: EventIn) -> dict[str, Any]:
    stored: dict[str, Any] = {"type": data.type, "actor": ctx.actor.name,
                              "at": ctx.now().isoformat()}  # fmt: skip
    if data.type == "criteria-assessed":
        stored["scores"] = [s.model_dump() for s in data.scores]
    elif data.type == "decided":
        if data.decision is None:
            raise InvalidInput("a decided event carries the decision", field="decision")
        stored["decision"] = data.decision.model_dump(mode="json")
    elif data.type == "appealed":
        stored["grounds"] = data.grounds or ""
    elif data.type == "withdrawn":
        stored["reason"] = data.reason or ""
    return stored


def record(ctx: Context, case_id: str, data: EventIn) -> RecognitionCaseRow:
    """Apply the next event; InvalidTransition (409) when the case cannot take it now,
    InvalidCaseEvent (422) when its content is wrong. The stored case is unchanged then."""
    row = get(ctx, case_id)
    ctx.actor.require("issue", row.provider_id)
    stored = _stored(ctx, data)
    case = apply(case_of(row), _event(row, stored))
    if data.type == "decision-issued":
        row.credential_id = _issue_decision(ctx, row, case).id
    row.events = [*row.events, stored]
    row.state, row.updated_at = str(case.state), ctx.now()
    audit.record(ctx, f"recognition.{data.type}", "recognition_case", row.id,
                 provider_id=row.provider_id)  # fmt: skip
    ctx.session.flush()
    return row


def _issue_decision(ctx: Context, row: RecognitionCaseRow, case: Case) -> Credential:
    provider = _authority(ctx, row.provider_id)
    defaults = opportunities.provider_defaults(ctx, provider)
    recognised = [h for h in held_of(row) if h.key in case.verified]
    mc = decision_model(
        case, recognised, learner=Learner.model_validate(row.learner),
        authority=Organisation.model_validate(defaults["awarding_bodies"][0]),
        authority_place=Place.model_validate(defaults["issuer_countries"][0]), issued=ctx.now(),
    )  # fmt: skip

    def write(model: Any, credential_id: str, issuer_id: str) -> dict[str, Any]:
        return decision_achievement(model, recognised, credential_id=credential_id,
                                    issuer_id=issuer_id)  # fmt: skip

    return issue_model(ctx, provider, mc, purpose="recognition.issue",
                       subject=f"recognition:{row.id}:{len(case.issued)}", write=write)  # fmt: skip


def decision_letter_pdf(ctx: Context, case_id: str) -> bytes:
    """The decision letter of a decided case as a PDF, in the case's language
    (``InvalidTransition``, a 409, while the case has no decision)."""
    row = get(ctx, case_id)
    case = case_of(row)
    provider = _authority(ctx, row.provider_id)
    language = letter_language(row.language)
    authority = pick(provider.legal_name, language) or provider.slug
    titles = {h.key: pick(h.credential.title or {}, language) or h.key for h in held_of(row)}
    letter = decision_letter(case, applicant_name=row.applicant, authority_name=authority,
                             signatory=authority, on=ctx.now().date(),
                             credential_titles=titles)  # fmt: skip
    return render_letter_pdf(letter, authority=authority)
