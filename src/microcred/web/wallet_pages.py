"""The learner's wallet pages: list, import, one credential, downloads, delete, export, erase."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner import accounts, downloads, records, sharing, verifying, wallet
from microcred.services.learner.facts import annex1_claims, facts
from microcred.web import pathway_pages
from microcred.web.session import sign_out
from microcred.web.web_state import (
    Form,
    LearnerId,
    State,
    WebState,
    Who,
    field,
    message,
    page,
    redirect,
)

router = APIRouter(include_in_schema=False)


@router.get("/wallet")
def wallet_page(
    request: Request, who: Who, state: State, learner: LearnerId, q: str = ""
) -> Response:
    held = wallet.list_held(state.ctx, learner, q[:200])
    shares = sharing.list_shares(state.ctx, learner)
    states = {h.id: _state(state, h) for h in held[:50]}
    return page(request, who, "learner/wallet.html", held=held, q=q[:200], shares=shares,
                states=states, error="")  # fmt: skip


def _state(state: WebState, held: wallet.Held) -> str:
    """``active``, ``revoked``, ``suspended``, ``expired`` or ``not-verified``, checked now."""
    report = verifying.check(state.ctx, held.raw)
    word = verifying.status_word(report)
    if word != "ok":
        return word
    return "active" if report.authentic else "not-verified"


@router.post("/wallet/import")
async def import_page(
    request: Request, who: Who, state: State, form: Form, learner: LearnerId
) -> Response:
    upload = form.get("file")
    pasted = field(form, "pasted", wallet.MAX_IMPORT_BYTES)
    data = await upload.read(wallet.MAX_IMPORT_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        held = wallet.import_file(state.ctx, learner, data or pasted.encode())
    except InvalidInput as exc:
        items = wallet.list_held(state.ctx, learner)
        shares = sharing.list_shares(state.ctx, learner)
        return page(request, who, "learner/wallet.html", 400, held=items, q="", shares=shares,
                    states={}, error=exc.message)  # fmt: skip
    return redirect(request, who, f"/wallet/{held.id}")


@router.get("/wallet/{credential_id}")
def credential_page(
    request: Request, who: Who, state: State, credential_id: str, learner: LearnerId
) -> Response:
    try:
        held = wallet.get(state.ctx, learner, credential_id)
    except NotFound:
        return message(request, who, 404, "error.not_found")
    report = verifying.check(state.ctx, held.raw)
    claims = annex1_claims(report.document or {})
    return page(
        request, who, "learner/credential.html", held=held, report=report,
        verdict=verifying.verdict(report), status=verifying.status_word(report),
        summary=verifying.summary(report),
        facts=facts(claims, who.language), elements=sharing.disclosable_elements(held),
        other=downloads.other_format(held), convertible=downloads.model_of(held) is not None,
        bundleable=records.bundleable(held) is not None,
        stacks=pathway_pages.stacks(state, learner, held.id, who.language),
    )  # fmt: skip


@router.get("/wallet/{credential_id}/download/{kind}")
def download(
    request: Request, who: Who, state: State, credential_id: str, kind: str, learner: LearnerId
) -> Response:
    try:
        file = downloads.download(state.ctx, learner, credential_id, kind, who.language)
    except NotFound:
        return message(request, who, 404, "error.not_found")
    except InvalidInput as exc:
        return message(request, who, 400, "error.bad_input", exc.message)
    headers = {"Content-Disposition": f'attachment; filename="{file.filename}"'}
    return Response(file.content, media_type=file.media_type, headers=headers)


@router.post("/wallet/{credential_id}/delete")
def delete(
    request: Request, who: Who, state: State, credential_id: str, form: Form, learner: LearnerId
) -> Response:
    try:
        wallet.remove(state.ctx, learner, credential_id)
    except NotFound:
        return message(request, who, 404, "error.not_found")
    return redirect(request, who, "/wallet")


@router.get("/wallet-export.zip")
def export(request: Request, who: Who, state: State, learner: LearnerId) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="my-micro-credentials.zip"'}
    return Response(wallet.export_zip(state.ctx, learner), media_type="application/zip",
                    headers=headers)  # fmt: skip


@router.post("/account/erase")
def erase(request: Request, who: Who, state: State, form: Form, learner: LearnerId) -> Response:
    if field(form, "confirm").lower() not in ("erase", "effacer", "șterge", "sterge", "löschen"):
        return message(request, who, 400, "account.erase_confirm_needed")
    accounts.erase_account(state.ctx, learner)
    sign_out(state.ctx, who)
    return message(request, who, 200, "account.erased")


@router.post("/account/language")
def language(request: Request, who: Who, state: State, form: Form) -> Response:
    if who.account is not None:
        accounts.set_language(state.ctx, who.account.id, field(form, "language", 8))
    return redirect(request, who, field(form, "back") if field(form, "back").startswith("/")
                    and not field(form, "back").startswith("//") else "/")  # fmt: skip
