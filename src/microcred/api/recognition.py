"""Recognition cases of an authority (docs/recognition.md): open a case for submitted
credentials, move it through its states, and issue the decision credential."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id
from microcred.schemas.recognition import CaseOut, LetterPdf, RuleOut
from microcred.services import recognition, recognition_rules
from microcred.services.bounds import MAX_ROW_ID
from microcred.services.recognition_forms import CaseIn, EventIn
from microcred.services.recognition_rules import RuleIn

router = APIRouter(tags=["recognition"], responses=PROBLEM_RESPONSES)
RuleName = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]
CaseId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
ProviderQuery = Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="the authority")]


@router.post("/recognition-cases", status_code=201,
             summary="Open a recognition case; every credential is verified first")  # fmt: skip
def create(ctx: Auth, body: CaseIn, response: Response) -> CaseOut:
    row = recognition.create(ctx, body)
    response.headers["Location"] = f"/recognition-cases/{row.id}"
    return CaseOut.of(row, recognition.case_of(row))


@router.get("/recognition-cases", summary="An authority's recognition cases, newest first")
def list_cases(ctx: Auth, provider_id: ProviderQuery) -> list[CaseOut]:
    rows = recognition.list_cases(ctx, provider_id)
    return [CaseOut.of(row, recognition.case_of(row)) for row in rows]


@router.get("/recognition-cases/{case_id}", summary="A recognition case and its audit trail")
def show(ctx: Auth, case_id: CaseId) -> CaseOut:
    row = recognition.get(ctx, case_id)
    return CaseOut.of(row, recognition.case_of(row))


@router.post(
    "/recognition-cases/{case_id}/events",
    summary="The case's next step (409 when the case cannot take it now)",
)
def record(ctx: Auth, case_id: CaseId, body: EventIn) -> CaseOut:
    row = recognition.record(ctx, case_id, body)
    return CaseOut.of(row, recognition.case_of(row))


class PdfDocument(Response):
    media_type = "application/pdf"


@router.get("/recognition-cases/{case_id}/letter.pdf", response_class=PdfDocument,
            responses={200: {"model": LetterPdf}},
            summary="The decision letter (PDF, the case's language); 409 before one")  # fmt: skip
def letter(ctx: Auth, case_id: CaseId) -> Response:
    disposition = f'inline; filename="decision-{case_id}.pdf"'
    return PdfDocument(recognition.decision_letter_pdf(ctx, case_id),
                       headers={"Content-Disposition": disposition})  # fmt: skip


@router.post("/providers/{provider_id}/recognition-rules", status_code=201,
             summary="Declare an automatic recognition rule of an authority")  # fmt: skip
def declare_rule(ctx: Auth, provider_id: Id, body: RuleIn) -> RuleOut:
    return RuleOut.of(recognition_rules.declare(ctx, provider_id, body))


@router.get("/providers/{provider_id}/recognition-rules",
            summary="An authority's automatic recognition rules")  # fmt: skip
def list_rules(ctx: Auth, provider_id: Id) -> list[RuleOut]:
    return [RuleOut.of(row) for row in recognition_rules.list_rules(ctx, provider_id)]


@router.post("/providers/{provider_id}/recognition-rules/{rule_id}/retire",
             summary="Stop proposing decisions from a rule (kept on record)")  # fmt: skip
def retire_rule(ctx: Auth, provider_id: Id, rule_id: RuleName) -> RuleOut:
    return RuleOut.of(recognition_rules.retire(ctx, provider_id, rule_id))
