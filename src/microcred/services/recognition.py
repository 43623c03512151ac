"""Recognition cases on the platform (issue 11 §3): an authority (a provider) opens a case for
submitted credentials (each verified first, the reports kept), moves it through the core's
state machine (``microcred.core.recognition``), and issuing the decision sends the signed
decision credential. Events are stored as JSON and replayed; services flush, entry points
commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

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
    DecisionIssued,
    Event,
    FactsGathered,
    ProposalMade,
    Submitted,
    Withdrawn,
    apply,
    current_decision,
    gather_facts,
    open_case,
)
from microcred.core.recognition.decision_credential import decision_achievement, decision_model
from microcred.core.recognition.letter import decision_letter, letter_language
from microcred.core.stacking import HeldCredential
from microcred.services import audit, opportunities, recognition_rules
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner.delivery import deliver
from microcred.services.model_issuance import issue_model
from microcred.services.pathways import learner_of
from microcred.services.recognition_forms import CaseIn, DecisionBody, EventIn
from microcred.services.submitted import Document, kept_credentials, verified_credentials


def _authority(ctx: Context, provider_id: int) -> Provider:
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def create(ctx: Context, data: CaseIn) -> RecognitionCaseRow:
    """Open a case at the authority ``data.provider_id``; every credential is verified first."""
    ctx.actor.require("recognise", data.provider_id)
    return open_row(ctx, data, list(data.credentials))


def open_row(
    ctx: Context, data: CaseIn, documents: list[Document], account_id: str | None = None
) -> RecognitionCaseRow:
    """Verify the documents and store the new case (the caller checked who may open it)."""
    provider = _authority(ctx, data.provider_id)
    submitted = verified_credentials(ctx, documents)
    event = Submitted(ctx.actor.name, ctx.now(), data.applicant,
                      ctx.site.provider_did(provider.slug), tuple(h.key for h in submitted.held),
                      data.purpose, data.language)  # fmt: skip
    case = open_case("new", event)
    row = RecognitionCaseRow(
        id=ctx.new_id(), provider_id=provider.id, state=str(case.state),
        applicant=data.applicant, purpose=data.purpose, language=data.language,
        learner=learner_of(None, submitted.held), submitted=submitted.documents,
        reports=submitted.reports, events=[], created_at=event.at, updated_at=event.at,
        learner_account=account_id,
    )  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "recognition.submitted", "recognition_case", row.id,
                 provider_id=provider.id, detail={"learner": account_id is not None})  # fmt: skip
    ctx.session.flush()
    return row


def get(ctx: Context, case_id: str) -> RecognitionCaseRow:
    """A case, for an officer of its authority (or the learner whose case it is)."""
    row = ctx.session.get(RecognitionCaseRow, case_id)
    if row is None:
        raise NotFound(f"no recognition case {case_id}")
    if ctx.actor.account_id is not None:
        if row.learner_account != ctx.actor.account_id:
            raise NotFound(f"no recognition case {case_id}")
        return row
    ctx.actor.require("recognise", row.provider_id)
    return row


def list_cases(ctx: Context, provider_id: int) -> list[RecognitionCaseRow]:
    """An authority's cases, newest first."""
    ctx.actor.require("recognise", provider_id)
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
        return Decided(actor, at, DecisionBody.model_validate(stored["decision"]).core(),
                       confirms=stored.get("confirms"))  # fmt: skip
    if kind == "proposal-made":
        return ProposalMade(actor, at, stored["rule"],
                            DecisionBody.model_validate(stored["decision"]).core())  # fmt: skip
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


def _decision_of(row: RecognitionCaseRow, data: EventIn) -> dict[str, Any]:
    """The decision stated, or (confirming a proposal) the proposal's."""
    if data.decision is not None:
        return data.decision.model_dump(mode="json")
    proposals = [e for e in row.events if e["type"] == "proposal-made"]
    if data.confirms is not None and proposals and proposals[-1]["rule"] == data.confirms:
        found: dict[str, Any] = proposals[-1]["decision"]
        return found
    raise InvalidInput("a decided event carries the decision (or confirms a proposal)",
                       field="decision")  # fmt: skip


def _stored(ctx: Context, row: RecognitionCaseRow, data: EventIn) -> dict[str, Any]:
    stored: dict[str, Any] = {"type": data.type, "actor": ctx.actor.name,
                              "at": ctx.now().isoformat()}  # fmt: skip
    if data.type == "criteria-assessed":
        stored["scores"] = [s.model_dump() for s in data.scores]
    elif data.type == "decided":
        stored["decision"] = _decision_of(row, data)
        if data.confirms is not None:
            stored["confirms"] = data.confirms
    elif data.type == "appealed":
        stored["grounds"] = data.grounds or ""
    elif data.type == "withdrawn":
        stored["reason"] = data.reason or ""
    return stored


def record(ctx: Context, case_id: str, data: EventIn) -> RecognitionCaseRow:
    """Apply the next event; InvalidTransition (409) when the case cannot take it now,
    InvalidCaseEvent (422) when its content is wrong. The stored case is unchanged then."""
    row = get(ctx, case_id)
    ctx.actor.require("recognise", row.provider_id)
    return store_event(ctx, row, _stored(ctx, row, data))


def store_event(
    ctx: Context, row: RecognitionCaseRow, stored: dict[str, Any]
) -> RecognitionCaseRow:
    """Apply a stored event to the case, keep it and audit it (the caller checked who acts);
    facts gathered may bring an automatic proposal, an issued decision its credential."""
    case = apply(case_of(row), _event(row, stored))
    kind = stored["type"]
    if kind == "decision-issued":
        credential = _issue_decision(ctx, row, case)
        row.credential_id = credential.id
        if row.learner_account is not None:
            deliver(ctx, row.learner_account, credential)
        decision = current_decision(case)
        row.outcome = decision.outcome if decision else None
        row.decided_at = ctx.now()
    row.events = [*row.events, stored]
    row.state, row.updated_at = str(case.state), ctx.now()
    audit.record(
        ctx,
        f"recognition.{kind}",
        "recognition_case",
        row.id,
        provider_id=row.provider_id,
        detail={"decision": stored["decision"]["outcome"]} if kind == "decided" else None,
    )
    if kind == "facts-gathered":
        proposal = recognition_rules.proposal(ctx, row.provider_id, case)
        if proposal is not None:
            store_event(ctx, row, proposal)
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
