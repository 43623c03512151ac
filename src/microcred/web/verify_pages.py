"""The public verifier: drop a file, paste JSON/JWT, open a share link or a credential id; or ask
a learner for a presentation bound to a fresh challenge."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from microcred.core.formats.reading import MAX_BYTES
from microcred.services.errors import NotFound, ReplayRejected
from microcred.services.learner import presentations, verifying
from microcred.services.learner.facts import annex1_claims, facts
from microcred.web.web_state import Form, State, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)
MAX_PASTE = 2 * 1024 * 1024


@router.get("/verify")
def verify_page(request: Request, who: Who) -> Response:
    return page(request, who, "learner/verify.html", error="")


def _report_page(request: Request, who: Who, state: State, raw: str | bytes, status: int = 200,
                 **values: object) -> Response:  # fmt: skip
    report = verifying.check(state.ctx, raw)
    claims = annex1_claims(report.document or {})
    return page(request, who, "learner/report.html", status, report=report,
                verdict=verifying.verdict(report), status_word=verifying.status_word(report),
                summary=verifying.summary(report),
                facts=facts(claims, who.language), checks=verifying.all_checks(report),
                **values)  # fmt: skip


@router.post("/verify")
async def verify_posted(request: Request, who: Who, state: State, form: Form) -> Response:
    link = field(form, "link", 500)
    share_prefix = f"{state.ctx.public_url}/s/"
    if link:
        if link.startswith((share_prefix, "/s/")):
            return redirect(request, who, "/s/" + link.rsplit("/s/", 1)[1].split("?")[0])
        if "/verify/" in link:
            return redirect(request, who, "/verify/" + link.rsplit("/verify/", 1)[1][:100])
        return page(request, who, "learner/verify.html", 400, error="verifier.link_unknown")
    upload = form.get("file")
    data = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    raw: str | bytes = data or field(form, "pasted", MAX_PASTE)
    if not raw:
        return page(request, who, "learner/verify.html", 400, error="verifier.nothing")
    return _report_page(request, who, state, raw)


@router.get("/verify/{credential_ref}")
def verify_issued(request: Request, who: Who, state: State, credential_ref: str) -> Response:
    document = state.ctx.issued_document(state.ctx, credential_ref[:100])
    if document is None:
        return message(request, who, 404, "verifier.unknown_credential")
    return _report_page(request, who, state, document)


@router.post("/verify-request")
def new_request(request: Request, who: Who, state: State, form: Form) -> Response:
    wanted = presentations.new_request(state.ctx)
    return redirect(request, who, f"/verify-request/{wanted.challenge}")


@router.get("/verify-request/{challenge}")
def request_page(request: Request, who: Who, state: State, challenge: str) -> Response:
    try:
        wanted = presentations.get_request(state.ctx, challenge[:100])
    except NotFound:
        return message(request, who, 404, "request.unknown")
    answer_url = f"{state.ctx.public_url}/wallet/present?challenge={wanted.challenge}"
    found = facts((wanted.result or {}).get("claims") or {}, who.language)
    return page(request, who, "learner/request.html", wanted=wanted, answer_url=answer_url,
                facts=found)  # fmt: skip


@router.get("/verify-request/{challenge}/state")
def request_state(state: State, challenge: str) -> Response:
    """For the page's polling script: has the presentation arrived?"""
    try:
        wanted = presentations.get_request(state.ctx, challenge[:100])
    except NotFound:
        return JSONResponse({"error": "not-found"}, status_code=404)
    return JSONResponse({"answered": wanted.used, "verdict": (wanted.result or {}).get("verdict")})


@router.post("/verify-request/{challenge}")
def answer_pasted(request: Request, who: Who, state: State, challenge: str, form: Form) -> Response:
    """A presentation pasted by hand (from another wallet)."""
    try:
        presentations.submit(state.ctx, challenge[:100], field(form, "presentation", MAX_PASTE))
    except ReplayRejected:
        return message(request, who, 409, "request.used")
    return redirect(request, who, f"/verify-request/{challenge[:100]}")
