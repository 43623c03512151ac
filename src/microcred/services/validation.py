"""Validation of non-formal and informal learning on the platform (issue 11 §4): an assessor of
an organisation identifies the candidate's claimed outcomes, keeps the evidence files with the
case (bounded in size and type, one tenant each), records the assessment and certifies: the
micro-credential names only the outcomes met. Events are stored as JSON and replayed through
``core.validation``; services flush, entry points commit."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from microcred.adapters.db.case_tables import ValidationCaseRow, ValidationEvidenceRow
from microcred.adapters.db.tables import Credential, OpportunityVersion, Provider
from microcred.core.model import Learner, Organisation, Place, QualityAssurance
from microcred.core.validation import (
    Assessed,
    Certified,
    ClaimedOutcome,
    Closed,
    Documented,
    Evidence,
    EvidencePolicy,
    Identified,
    OutcomeResult,
    ValidationCase,
    ValidationEvent,
    apply,
    certificate_model,
    check_evidence,
    replay,
)
from microcred.services import audit, opportunities
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner.delivery import deliver
from microcred.services.model_issuance import issue_model
from microcred.services.validation_forms import ClaimIn, ValidationEventIn, ValidationIn

POLICY = EvidencePolicy()


def _organisation(ctx: Context, provider_id: int) -> Provider:
    ctx.actor.require("assess", provider_id)
    provider = ctx.session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(f"no provider {provider_id}")
    return provider


def _outcomes_of(ctx: Context, provider_id: int, opportunity_id: int | None) -> list[Any]:
    """The learning outcomes of the opportunity (its latest published version, else its
    draft); the opportunity is the organisation's own."""
    if opportunity_id is None:
        return []
    row = opportunities.get(ctx, opportunity_id)
    if row.provider_id != provider_id:
        raise NotFound(f"no opportunity {opportunity_id}")
    latest = ctx.session.scalar(
        select(OpportunityVersion.data).where(
            OpportunityVersion.opportunity_id == row.id, OpportunityVersion.is_latest.is_(True)
        )
    )
    data = latest or row.draft or {}
    outcomes: list[Any] = (data.get("credential") or {}).get("learning_outcomes", [])
    return outcomes


def _claim(claim: ClaimIn, outcomes: list[Any]) -> dict[str, Any]:
    """A stored claim; one mapped to the opportunity takes that outcome's text and skills."""
    stored: dict[str, Any] = claim.model_dump()
    ref = claim.opportunity_outcome
    if ref is None:
        return stored
    found = next((o for o in outcomes if o.get("id") == ref), None)
    if found is None and ref.isdigit() and 1 <= int(ref) <= len(outcomes):
        found = outcomes[int(ref) - 1]
    if found is None:
        raise InvalidInput(f"claims: {claim.id}: the opportunity has no outcome {ref!r}",
                           field="claims")  # fmt: skip
    stored["text"] = claim.text or found.get("text", {})
    stored["skills"] = claim.skills or list(found.get("skills", []))
    return stored


def create(ctx: Context, data: ValidationIn, account_id: str | None = None) -> ValidationCaseRow:
    """Open a case with the identification of the candidate's claimed outcomes."""
    _organisation(ctx, data.provider_id)
    outcomes = _outcomes_of(ctx, data.provider_id, data.opportunity_id)
    claims = [_claim(claim, outcomes) for claim in data.claims]
    now = ctx.now()
    first = {"type": "identified", "actor": ctx.actor.name, "at": now.isoformat(),
             "candidate": data.candidate, "claims": claims}  # fmt: skip
    learner = {"full_name": data.candidate, **({"email": data.email} if data.email else {})}
    row = ValidationCaseRow(
        id=ctx.new_id(), provider_id=data.provider_id, stage="identified",
        candidate=data.candidate, learner=learner, title=data.title, setting=data.setting,
        opportunity_id=data.opportunity_id, events=[first], created_at=now, updated_at=now,
        learner_account=account_id,
    )  # fmt: skip
    row.stage = str(case_of(row).stage)  # the claims are checked here
    ctx.session.add(row)
    audit.record(ctx, "validation.identified", "validation_case", row.id,
                 provider_id=row.provider_id)  # fmt: skip
    ctx.session.flush()
    return row


def get(ctx: Context, case_id: str) -> ValidationCaseRow:
    """A case, for an assessor of its organisation (or the learner whose case it is)."""
    row = ctx.session.get(ValidationCaseRow, case_id)
    if row is None or (ctx.actor.account_id is not None and
                       row.learner_account != ctx.actor.account_id):  # fmt: skip
        raise NotFound(f"no validation {case_id}")
    if ctx.actor.account_id is None:
        ctx.actor.require("assess", row.provider_id)
    return row


def list_cases(ctx: Context, provider_id: int) -> list[ValidationCaseRow]:
    """An organisation's validations, newest first."""
    _organisation(ctx, provider_id)
    query = select(ValidationCaseRow).where(ValidationCaseRow.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(ValidationCaseRow.created_at.desc(),
                                                   ValidationCaseRow.id)))  # fmt: skip


def _evidence(item: Mapping[str, Any]) -> Evidence:
    return Evidence(item["name"], item["media_type"], item["size"], item["sha256"],
                    tuple(item["outcomes"]), item.get("description", ""))  # fmt: skip


def _event(stored: Mapping[str, Any]) -> ValidationEvent:
    actor, at, kind = stored["actor"], datetime.fromisoformat(stored["at"]), stored["type"]
    if kind == "identified":
        claims = tuple(
            ClaimedOutcome(c["id"], c["text"], tuple(c["skills"]), c.get("opportunity_outcome"))
            for c in stored["claims"]
        )
        return Identified(actor, at, stored["candidate"], claims)
    if kind == "documented":
        return Documented(actor, at, tuple(_evidence(e) for e in stored["evidence"]))
    if kind == "assessed":
        results = tuple(OutcomeResult(r["outcome"], r["met"], r["comment"])
                        for r in stored["results"])  # fmt: skip
        return Assessed(actor, at, stored["method"], results)
    if kind == "certified":
        return Certified(actor, at)
    return Closed(actor, at, stored.get("reason") or "")


def case_of(row: ValidationCaseRow) -> ValidationCase:
    """The case its stored events make."""
    return replay(row.id, [_event(stored) for stored in row.events], POLICY)


def _store(ctx: Context, row: ValidationCaseRow, stored: dict[str, Any]) -> ValidationCase:
    after = apply(case_of(row), _event(stored))
    row.events = [*row.events, stored]
    row.stage, row.updated_at = str(after.stage), ctx.now()
    audit.record(ctx, f"validation.{stored['type']}", "validation_case", row.id,
                 provider_id=row.provider_id)  # fmt: skip
    return after


def add_evidence(
    ctx: Context, case_id: str, *, name: str, media_type: str, content: bytes,
    outcomes: list[str], description: str = "",
) -> ValidationEvidenceRow:  # fmt: skip
    """Keep one evidence file with the case: EvidenceTooLarge (413), EvidenceTypeNotAccepted
    (415) or EvidenceRejected (422) when it cannot be kept; the case is unchanged then."""
    row = get(ctx, case_id)
    ctx.actor.require("assess", row.provider_id)
    media = media_type.split(";", 1)[0].strip().lower()
    item = Evidence(name.strip()[:255] or "evidence", media, len(content),
                    hashlib.sha256(content).hexdigest(), tuple(outcomes), description)  # fmt: skip
    check_evidence(item, POLICY, content[:16])
    evidence_id = ctx.new_id()
    stored = {
        "type": "documented",
        "actor": ctx.actor.name,
        "at": ctx.now().isoformat(),
        "evidence": [
            {
                "id": evidence_id,
                "name": item.name,
                "media_type": media,
                "size": item.size,
                "sha256": item.sha256,
                "outcomes": list(item.outcomes),
                "description": description,
            }
        ],
    }
    _store(ctx, row, stored)
    kept = ValidationEvidenceRow(
        id=evidence_id, case_id=row.id, provider_id=row.provider_id, name=item.name,
        media_type=media, size=item.size, sha256=item.sha256, outcomes=list(item.outcomes),
        description=description, content=content, uploaded_at=ctx.now(),
        uploaded_by=ctx.actor.name,
    )  # fmt: skip
    ctx.session.add(kept)
    ctx.session.flush()
    return kept


def evidence_file(ctx: Context, case_id: str, evidence_id: str) -> ValidationEvidenceRow:
    """One evidence file of a case, for its assessors (NotFound for anyone else)."""
    row = get(ctx, case_id)
    found = ctx.session.get(ValidationEvidenceRow, evidence_id)
    if found is None or found.case_id != row.id or found.provider_id != row.provider_id:
        raise NotFound(f"no evidence file {evidence_id} in validation {case_id}")
    return found


def record(ctx: Context, case_id: str, data: ValidationEventIn) -> ValidationCaseRow:
    """Assess, certify (issues the micro-credential) or close; InvalidTransition (409) when
    the case cannot take the step now, InvalidCaseEvent (422) when its content is wrong."""
    row = get(ctx, case_id)
    ctx.actor.require("assess", row.provider_id)
    stored: dict[str, Any] = {"type": data.type, "actor": ctx.actor.name,
                              "at": ctx.now().isoformat()}  # fmt: skip
    if data.type == "assessed":
        if not data.method:
            raise InvalidInput("an assessment names its method", field="method")
        stored["method"] = data.method
        stored["results"] = [r.model_dump() for r in data.results]
    elif data.type == "closed":
        stored["reason"] = data.reason or ""
    case = _store(ctx, row, stored)
    if data.type == "certified":
        credential = _certify(ctx, row, case)
        row.credential_id = credential.id
        if row.learner_account is not None:
            deliver(ctx, row.learner_account, credential)
    ctx.session.flush()
    return row


def _certify(ctx: Context, row: ValidationCaseRow, case: ValidationCase) -> Credential:
    provider = _organisation(ctx, row.provider_id)
    defaults = opportunities.provider_defaults(ctx, provider)
    mc = certificate_model(
        case, title=row.title, learner=Learner.model_validate(row.learner),
        awarding_body=Organisation.model_validate(defaults["awarding_bodies"][0]),
        place=Place.model_validate(defaults["issuer_countries"][0]), issued=ctx.now(),
        setting="informal" if row.setting == "informal" else "non-formal",
        quality_assurance=tuple(QualityAssurance.model_validate(q)
                                for q in defaults["quality_assurance"]),
    )  # fmt: skip
    return issue_model(ctx, provider, mc, purpose="validation.issue",
                       subject=f"validation:{row.id}")  # fmt: skip
