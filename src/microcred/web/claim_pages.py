"""Claiming an issued credential: preview, store it in the wallet, or take it as a file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.services.errors import LinkExpired
from microcred.services.learner import claims, verifying
from microcred.services.learner.facts import annex1_claims, facts
from microcred.web.web_state import Form, State, Who, message, page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/claim/{token}")
def claim_page(request: Request, who: Who, state: State, token: str) -> Response:
    try:
        pending = claims.open_claim(state.ctx, token[:100])
    except LinkExpired:
        return message(request, who, 410, "claim.expired")
    report = verifying.check(state.ctx, pending.document)
    found = facts(annex1_claims(report.document or {}), who.language)
    return page(request, who, "learner/claim.html", token=token, pending=pending, facts=found,
                verdict=verifying.verdict(report),
                summary=verifying.summary(report))  # fmt: skip


@router.post("/claim/{token}/store")
def store(request: Request, who: Who, state: State, token: str, form: Form) -> Response:
    if who.account is None or who.account.role != "learner":
        return redirect(request, who, f"/login?next=/claim/{token[:100]}")
    try:
        held = claims.claim_into_wallet(state.ctx, token[:100], who.account.id)
    except LinkExpired:
        return message(request, who, 410, "claim.expired")
    return redirect(request, who, f"/wallet/{held.id}")


@router.post("/claim/{token}/download")
def take_file(request: Request, who: Who, state: State, token: str, form: Form) -> Response:
    try:
        document = claims.claim_download(state.ctx, token[:100])
    except LinkExpired:
        return message(request, who, 410, "claim.expired")
    headers = {"Content-Disposition": 'attachment; filename="micro-credential.json"'}
    return Response(document.encode(), media_type="application/json", headers=headers)
