"""Validations of non-formal and informal learning (docs/recognition.md): an assessor opens a
case with the claimed outcomes, uploads evidence files (size- and type-limited), records the
assessment and certifies (the micro-credential names only the outcomes met)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.core.errors import EvidenceTooLarge
from microcred.schemas.validation import EvidenceFile, EvidenceOut, ValidationOut
from microcred.services import validation
from microcred.services.bounds import MAX_ROW_ID
from microcred.services.validation_forms import ValidationEventIn, ValidationIn

router = APIRouter(tags=["validation"], responses=PROBLEM_RESPONSES)
CaseId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
ProviderQuery = Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="the organisation")]
UPLOAD = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}  # fmt: skip


@router.post("/validations", status_code=201,
             summary="Open a validation with the candidate's claimed outcomes")  # fmt: skip
def create(ctx: Auth, body: ValidationIn, response: Response) -> ValidationOut:
    row = validation.create(ctx, body)
    response.headers["Location"] = f"/validations/{row.id}"
    return ValidationOut.of(row, validation.case_of(row))


@router.get("/validations", summary="An organisation's validations, newest first")
def list_cases(ctx: Auth, provider_id: ProviderQuery) -> list[ValidationOut]:
    return [
        ValidationOut.of(r, validation.case_of(r)) for r in validation.list_cases(ctx, provider_id)
    ]


@router.get("/validations/{case_id}", summary="A validation, its evidence and audit trail")
def show(ctx: Auth, case_id: CaseId) -> ValidationOut:
    row = validation.get(ctx, case_id)
    return ValidationOut.of(row, validation.case_of(row))


async def _body(request: Request) -> bytes:
    """The uploaded bytes, read no further than the per-file limit allows."""
    limit = validation.POLICY.max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise EvidenceTooLarge(f"{declared} bytes, more than the {limit} accepted per file")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise EvidenceTooLarge(f"more than the {limit} bytes accepted per file")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/validations/{case_id}/evidence", status_code=201, openapi_extra=UPLOAD,
             summary="Upload an evidence file (the body; its type in Content-Type); "
             "413 too large, 415 type not accepted, 422 content not its type")  # fmt: skip
async def upload(
    ctx: Auth, case_id: CaseId, request: Request,
    name: Annotated[str, Query(min_length=1, max_length=255, description="the file's name")],
    outcome: Annotated[list[str], Query(max_length=50,
                                        description="claimed outcomes it supports")] = [],  # noqa: B006
    description: Annotated[str, Query(max_length=2000)] = "",
) -> EvidenceOut:  # fmt: skip
    content = await _body(request)
    kept = validation.add_evidence(
        ctx, case_id, name=name, media_type=request.headers.get("content-type", ""),
        content=content, outcomes=outcome, description=description,
    )  # fmt: skip
    return EvidenceOut(id=kept.id, name=kept.name, media_type=kept.media_type, size=kept.size,
                       sha256=kept.sha256, outcomes=kept.outcomes,
                       description=kept.description)  # fmt: skip


@router.get("/validations/{case_id}/evidence/{evidence_id}", response_class=Response,
            responses={200: {"model": EvidenceFile}},
            summary="An evidence file, as uploaded (the case's assessors only)")  # fmt: skip
def download(ctx: Auth, case_id: CaseId, evidence_id: CaseId) -> Response:
    found = validation.evidence_file(ctx, case_id, evidence_id)
    headers = {"Content-Disposition": f'attachment; filename="{found.id}"',
               "X-Content-Type-Options": "nosniff"}  # fmt: skip
    return Response(found.content, media_type=found.media_type, headers=headers)


@router.post("/validations/{case_id}/events",
             summary="Assess, certify or close (409 when the case cannot take it now)")  # fmt: skip
def record(ctx: Auth, case_id: CaseId, body: ValidationEventIn) -> ValidationOut:
    row = validation.record(ctx, case_id, body)
    return ValidationOut.of(row, validation.case_of(row))
