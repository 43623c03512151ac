"""W3C VC-API routes: issue, verify credentials and presentations, update status."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from microcred.api.bodies import ParsedJsonRoute
from microcred.api.deps import ANONYMOUS, Auth, platform_of
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.core.verify import Report
from microcred.schemas.credentials import CredentialSummary, IssuedCredential
from microcred.services import vc_api
from microcred.services.context import Units
from microcred.services.verification import may_verify_offline, verify_document, verify_offline

router = APIRouter(tags=["vc-api"], responses=PROBLEM_RESPONSES, route_class=ParsedJsonRoute)


class IssueOptions(BaseModel):
    cryptosuite: str = Field(DEFAULT_SUITE, max_length=40,
                             description="a Data Integrity suite, or vc+jwt")  # fmt: skip
    provider: str | None = Field(None, max_length=63, description="slug (platform admins only)")


class IssueCredentialRequest(BaseModel):
    credential: dict[str, Any]
    options: IssueOptions = Field(default_factory=IssueOptions)


class VerifyOptions(BaseModel):
    challenge: str | None = Field(None, max_length=500)
    domain: str | None = Field(None, max_length=500)


class VerifyCredentialRequest(BaseModel):
    verifiableCredential: dict[str, Any] | str
    options: VerifyOptions = Field(default_factory=VerifyOptions)


class VerifyPresentationRequest(BaseModel):
    verifiablePresentation: dict[str, Any] | str
    options: VerifyOptions = Field(default_factory=VerifyOptions)


class StatusChange(BaseModel):
    type: str | None = Field(None, max_length=100)
    statusPurpose: str | None = Field(None, pattern=r"^(revocation|suspension)$")
    status: bool | Annotated[int, Field(ge=0, le=1)] | Annotated[str, Field(max_length=20)] = Field(
        description='true/false (or 1/0) with statusPurpose, or "revoked"'
    )


class UpdateStatusRequest(BaseModel):
    credentialId: str = Field(max_length=500)
    credentialStatus: list[StatusChange] = Field(min_length=1, max_length=4)
    reason: str | None = Field(None, max_length=2000)


class AnnexProblem(BaseModel):
    element: str = Field(description="the Annex I element (e.g. workload, eqf_level)")
    message: str


class CompletenessResult(BaseModel):
    """Annex I completeness: a result apart, which never changes ``verified``."""

    state: Literal["complete", "incomplete", "not-a-micro-credential", "unreadable"]
    missing: list[str] = Field(description="mandatory Annex I elements absent (element keys)")
    problems: list[AnnexProblem] = Field(description="elements present with a wrong value")
    notes: list[str] = Field(description="reading notes (a lossy mapping...): never failures")
    reason: str = Field(description="why it could not be read or does not apply")
    summary: str = Field(description="the result in one English sentence")


class VerificationResult(BaseModel):
    """The VC-API shape (``verified``, ``checks``, ``warnings``, ``errors``), plus Annex I
    completeness apart and microcred's full report."""

    verified: bool = Field(description="authentic and in force; completeness plays no part")
    checks: list[str]
    warnings: list[str]
    errors: list[str]
    completeness: CompletenessResult | None = Field(
        description="Annex I completeness of a credential (null for a presentation: see "
        "report.credentials[].completeness)"
    )
    report: dict[str, Any]


def _result(report: Report) -> dict[str, Any]:
    """The :class:`VerificationResult` of ``report``, as the JSON object it is sent as."""
    checks = list(report.checks)
    completeness = report.completeness
    return {
        "verified": report.verified,
        "checks": sorted({c.name for c in checks if c.status == "ok"}),
        "warnings": [f"{c.name}: {c.detail}" for c in checks
                     if c.status == "skipped" and c.blocking],
        "errors": [f"{c.name}: {c.detail}" for c in checks if c.status == "failed"],
        "completeness": completeness.to_dict() if completeness else None,
        "report": report.to_dict(),
    }  # fmt: skip


def _answer(report: Report) -> Response:
    text = json.dumps(_result(report), ensure_ascii=False, separators=(",", ":"))
    return Response(text.encode("utf-8"), media_type="application/json")


def _verified(platform: Units, document: dict[str, Any] | str, options: VerifyOptions | None,
              ) -> Response:  # fmt: skip
    """Verify in one unit of work, answer with the result's JSON (the work of a verify route,
    run in one worker thread: it may read the database or fetch, the event loop keeps serving)."""
    challenge = options.challenge if options is not None else None
    domain = options.domain if options is not None else None
    with platform.unit_of_work(ANONYMOUS) as ctx:
        report = verify_document(ctx, document, challenge=challenge, domain=domain)
    return _answer(report)


# bodies up to this size may be verified on the event loop (CPU work of a few milliseconds);
# larger ones go to a worker thread, so that one large document never holds up the others
OFFLINE_BODY = 64 * 1024


def _offline(request: Request, platform: Units, document: dict[str, Any] | str) -> Report | None:
    """The report when verifying needs only CPU (did:key, no status: see
    :func:`~microcred.services.verification.verify_offline`), made here on the event loop
    (no thread hop); None when the document must be verified where it may block."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > OFFLINE_BODY:
        return None
    if not may_verify_offline(document):
        return None
    with platform.context(ANONYMOUS) as ctx:  # its session is never used: no database I/O
        return verify_offline(ctx, document)


ISSUE_DESCRIPTION = """\
Signs an unsigned VC 2.0 credential as the caller's provider and adds its status entries.

The platform sets: `issuer` (the provider's DID, filled in when absent or when an issuer object
has no `id`), `id` (a `urn:uuid:` when absent), `credentialStatus` (a revocation and a
suspension entry on the provider's own Bitstring Status Lists) and the proof.

Refused with 422 `invalid-credential`, each problem in `errors` with its JSON path as `field`:
anything the verifier (`POST /credentials/verify`) would call malformed (the same rules: VC 2.0
`@context` first, `VerifiableCredential` type, a `credentialSubject` with claims, URL ids,
typed status/schema/evidence/refresh/terms objects, XML Schema dates, language values, types the
contexts define), an explicit `null` issuer or issuer `id`, a credential that already has a
`proof` (no proof sets: every proof must be by a key of the issuer), and a caller-supplied
`credentialStatus` (the platform assigns status entries, so revocation always works).
An issuer URL other than the provider's DID is refused with 403.
"""


@router.post("/credentials/issue", status_code=201,
             summary="Sign a credential as the caller's provider, with status entries",
             description=ISSUE_DESCRIPTION)  # fmt: skip
def issue(ctx: Auth, body: IssueCredentialRequest) -> IssuedCredential:
    row = vc_api.issue_provided(ctx, body.credential, body.options.model_dump())
    return IssuedCredential.model_validate({"verifiableCredential": vc_api.signed_credential(row)})


# The verify routes are the platform's hot path (issue 10): at most one thread hop for the whole
# work (none for a did:key credential without status), the body parsed once (ParsedJsonRoute)
# and the answer serialised once (no response model validation of a result built here from the
# report; the model documents the shape).
@router.post("/credentials/verify", summary="Verify a credential (public)",
             response_model=VerificationResult)  # fmt: skip
async def verify_credential(request: Request, body: VerifyCredentialRequest) -> Response:
    platform, document = platform_of(request), body.verifiableCredential
    report = _offline(request, platform, document)
    if report is not None:
        return _answer(report)
    return await run_in_threadpool(_verified, platform, document, None)


@router.post("/presentations/verify", summary="Verify a presentation (public)",
             response_model=VerificationResult)  # fmt: skip
async def verify_presentation(request: Request, body: VerifyPresentationRequest) -> Response:
    return await run_in_threadpool(_verified, platform_of(request), body.verifiablePresentation,
                                   body.options)  # fmt: skip


@router.post("/credentials/status", summary="Revoke, suspend or reinstate by credential id")
def update_status(ctx: Auth, body: UpdateStatusRequest) -> CredentialSummary:
    changes = [c.model_dump() for c in body.credentialStatus]
    row = vc_api.update_status(ctx, body.credentialId, changes, body.reason)
    return CredentialSummary.of(row)
