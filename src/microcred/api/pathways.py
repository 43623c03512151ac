"""Learning pathways: a provider's stacking rules, evaluations of submitted credentials against
them, and the officer's decision that issues the larger credential (docs/pathways.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id
from microcred.core.stacking.ctdl import rules_to_ctdl
from microcred.schemas.credentials import CredentialOut
from microcred.schemas.documents import ClrCredential
from microcred.schemas.pathways import CtdlConditionsOut, DecidedOut, EvaluationOut, RulesOut
from microcred.services import issuance, pathway_records, pathways
from microcred.services.context import Context
from microcred.services.issuance import LearnerIn
from microcred.services.pathways import DecisionIn

router = APIRouter(tags=["pathways"], responses=PROBLEM_RESPONSES)
RecordId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
RulesBody = Annotated[dict[str, Any], Body(description="stacking rules (docs/pathways.md)")]


class EvaluationIn(BaseModel):
    """Credentials submitted for evaluation (each a signed JSON document or a compact JWT)."""

    model_config = ConfigDict(extra="forbid")
    credentials: list[dict[str, Any] | str] = Field(min_length=1, max_length=50)
    learner: LearnerIn | None = Field(
        None, description="who the larger credential is for (default: the credentials' learner)"
    )


@router.post("/providers/{provider_id}/pathways", status_code=201,
             summary="Publish a version of stacking rules")  # fmt: skip
def publish(ctx: Auth, provider_id: Id, body: RulesBody, response: Response) -> RulesOut:
    row = pathways.publish(ctx, provider_id, body)
    response.headers["Location"] = f"/pathways/{row.id}"
    return RulesOut.of(row)


@router.get("/providers/{provider_id}/pathways", summary="A provider's published rules")
def list_rules(ctx: Auth, provider_id: Id) -> list[RulesOut]:
    return [RulesOut.of(row) for row in pathways.list_rules(ctx, provider_id)]


@router.get("/pathways/{rules_id}", summary="One published version of stacking rules")
def show_rules(ctx: Auth, rules_id: RecordId) -> RulesOut:
    return RulesOut.of(pathways.get_rules(ctx, rules_id))


@router.get("/pathways/{rules_id}/ctdl",
            summary="The rules as CTDL ConditionProfiles (ceterms:requires)")  # fmt: skip
def ctdl(ctx: Auth, rules_id: RecordId) -> CtdlConditionsOut:
    """What CTDL cannot say (k of n, not, counts, other predicates) is written as text in
    ``ceterms:condition``; those nodes' paths are listed in ``approximated``."""
    row = pathways.get_rules(ctx, rules_id)
    exported = rules_to_ctdl(pathways.read_rules(ctx, row.provider_id, row.document))
    return CtdlConditionsOut.model_validate(
        {"ceterms:requires": list(exported.requires), "approximated": list(exported.approximated)}
    )


@router.post("/pathways/{rules_id}/evaluations", status_code=201,
             summary="Verify submitted credentials, evaluate them against the rules")  # fmt: skip
def evaluate(ctx: Auth, rules_id: RecordId, body: EvaluationIn,
             response: Response) -> EvaluationOut:  # fmt: skip
    learner = body.learner.model() if body.learner else None
    row = pathways.evaluate_submitted(ctx, rules_id, body.credentials, learner)
    response.headers["Location"] = f"/evaluations/{row.id}"
    return _out(ctx, row.id)


@router.get("/pathways/{rules_id}/evaluations", summary="Evaluations against these rules")
def list_evaluations(ctx: Auth, rules_id: RecordId) -> list[EvaluationOut]:
    rules = pathways.get_rules(ctx, rules_id)
    return [EvaluationOut.of(row, rules) for row in pathways.list_evaluations(ctx, rules_id)]


@router.get("/evaluations/{evaluation_id}", summary="An evaluation, its trace and decision")
def show_evaluation(ctx: Auth, evaluation_id: RecordId) -> EvaluationOut:
    return _out(ctx, evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/decision",
    summary="Record the officer's decision; accepting issues the larger credential",
)
def decide(ctx: Auth, evaluation_id: RecordId, body: DecisionIn) -> DecidedOut:
    row = pathways.decide(ctx, evaluation_id, body)
    rules = pathways.get_rules(ctx, row.rules_row_id)
    issued = issuance.get(ctx, row.credential_id) if row.credential_id else None
    out = EvaluationOut.of(row, rules).model_dump()
    return DecidedOut.model_validate(
        {**out, "credential": CredentialOut.of(issued) if issued else None}
    )


@router.get(
    "/evaluations/{evaluation_id}/clr",
    summary="The accepted evaluation as a signed CLR 2.0: the larger credential and its parts",
    response_model=ClrCredential,
)
def clr(ctx: Auth, evaluation_id: RecordId) -> dict[str, Any]:
    """Signed by the receiving organisation's key; the parts consumed are embedded as submitted
    (signed OB 3.0 ones; tokens cannot be embedded), each ``isPartOf`` the larger credential.
    409 before the decision has issued a larger credential."""
    return pathway_records.record_of(ctx, evaluation_id)


def _out(ctx: Context, evaluation_id: str) -> EvaluationOut:
    row = pathways.get_evaluation(ctx, evaluation_id)
    return EvaluationOut.of(row, pathways.get_rules(ctx, row.rules_row_id))
