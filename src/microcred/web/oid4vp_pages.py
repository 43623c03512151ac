"""OpenID4VP pages: the verifier asks a wallet (QR code, same-device link) and sees the report;
the learner's wallet shows who asks for what, lets the learner choose, and answers.

Included before the wallet and verify pages: ``/wallet/oid4vp`` and ``/verify/oid4vp`` must
not be read as a credential id. The wallet also answers as JSON (``/wallet/oid4vp/request``,
``/wallet/oid4vp/answer``) for scripts run in the learner's session.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import JSONResponse, Response

from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS
from microcred.core.problems import MEDIA_TYPE, problem_body
from microcred.schemas.oid4vp import WalletAnswerIn, WalletAnswerOut
from microcred.services import oid4vp_verifier
from microcred.services.errors import NotFound
from microcred.services.learner import oid4vp_wallet, wallet
from microcred.services.learner.facts import facts, title_of
from microcred.web.web_state import Form, LearnerId, State, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)
DEFAULT_CLAIMS = ("title", "workload", "issued")


# --- the verifier ----------------------------------------------------------------------------


@router.get("/verify/oid4vp")
def new_page(request: Request, who: Who) -> Response:
    return page(request, who, "learner/oid4vp_new.html", elements=ANNEX1_CLAIMS,
                checked=DEFAULT_CLAIMS, error="")  # fmt: skip


@router.post("/verify/oid4vp")
def create(request: Request, who: Who, state: State, form: Form) -> Response:
    kind = field(form, "kind", 10)
    claims = [c for c in form.getlist("claims") if isinstance(c, str)][: len(ANNEX1_CLAIMS)]
    try:
        made = oid4vp_verifier.create(state.ctx, kind, claims if kind == "sd-jwt" else [])
    except MicrocredError as exc:
        return page(request, who, "learner/oid4vp_new.html", 422, elements=ANNEX1_CLAIMS,
                    checked=claims, error=exc.message)  # fmt: skip
    return redirect(request, who, f"/verify/oid4vp/{made.id}")


def wallet_url(ctx_url: str, pending: oid4vp_verifier.Pending) -> str:
    """The same request on this platform's wallet page (a same-device link for its learners)."""
    query = urlencode({"client_id": pending.client_id, "request_uri": pending.request_uri})
    return f"{ctx_url}/wallet/oid4vp?{query}"


@router.get("/verify/oid4vp/{transaction_id}")
def request_page(request: Request, who: Who, state: State, transaction_id: str) -> Response:
    try:
        pending = oid4vp_verifier.get(state.ctx, transaction_id[:64])
    except NotFound:
        return message(request, who, 404, "request.unknown")
    result: dict[str, Any] = dict(pending.result or {})
    shown = [dict(p, facts=facts(p.get("claims") or {}, who.language))
             for p in result.get("presentations", [])]  # fmt: skip
    expired = pending.answered_at is None and state.ctx.clock() > pending.expires_at
    return page(request, who, "learner/oid4vp_request.html", pending=pending, result=result,
                shown=shown, expired=expired,
                own_wallet=wallet_url(state.ctx.public_url, pending))  # fmt: skip


@router.get("/verify/oid4vp/{transaction_id}/state")
def request_state(state: State, transaction_id: str) -> Response:
    """For the page's polling script: has the wallet answered?"""
    try:
        pending = oid4vp_verifier.get(state.ctx, transaction_id[:64])
    except NotFound:
        return JSONResponse({"error": "not-found"}, status_code=404)
    return JSONResponse({"answered": pending.answered_at is not None})


# --- the learner's wallet --------------------------------------------------------------------


def _link_of(request: Request) -> str:
    params = request.query_params
    if params.get("link"):
        return params["link"][: oid4vp_wallet.MAX_LINK]
    if params.get("request_uri"):
        query = urlencode({"client_id": params.get("client_id", ""),
                           "request_uri": params["request_uri"]})  # fmt: skip
        return f"openid4vp://?{query}"
    return ""


@router.get("/wallet/oid4vp")
def wallet_page(request: Request, who: Who, state: State, learner: LearnerId) -> Response:
    link = _link_of(request)
    if not link:
        return page(request, who, "learner/oid4vp_wallet.html", asked=None, error="")
    try:
        asked = oid4vp_wallet.ask(state.ctx, learner, link)
    except MicrocredError as exc:
        status = exc.http_status if 400 <= exc.http_status < 500 else 400
        return page(request, who, "learner/oid4vp_wallet.html", status, asked=None,
                    error=exc.message, link=link)  # fmt: skip
    titles = {h.id: title_of({"title": h.title}, who.language)
              for h in wallet.list_held(state.ctx, learner)}  # fmt: skip
    return page(request, who, "learner/oid4vp_wallet.html", asked=asked, titles=titles,
                error="", link=link)  # fmt: skip


@router.post("/wallet/oid4vp")
def wallet_answer(request: Request, who: Who, state: State, form: Form,
                  learner: LearnerId) -> Response:  # fmt: skip
    link = field(form, "link", oid4vp_wallet.MAX_LINK)
    if not link:
        return message(request, who, 400, "oid4vp.no_link")
    try:
        if field(form, "action", 10) == "decline":
            sent = oid4vp_wallet.decline(state.ctx, link)
        else:
            claims = [c for c in form.getlist("claims") if isinstance(c, str)]
            sent = oid4vp_wallet.answer(state.ctx, learner, link,
                                        field(form, "credential", 64) or None, claims)  # fmt: skip
    except MicrocredError as exc:
        return message(request, who, exc.http_status if exc.http_status < 500 else 400,
                       "oid4vp.refused", exc.message)  # fmt: skip
    if sent.refused:
        return message(request, who, 400, "oid4vp.refused", sent.refused)
    return redirect(request, who, sent.redirect_uri or "/wallet")


def _problem(exc: MicrocredError) -> JSONResponse:
    status = exc.http_status if 400 <= exc.http_status < 500 else 400
    error = exc.error if isinstance(exc, OAuthError) else "invalid_request"
    body = problem_body(status, exc.code, exc.message, error=error,
                        error_description=exc.message)  # fmt: skip
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


@router.get("/wallet/oid4vp/request")
def wallet_request_json(request: Request, state: State, learner: LearnerId) -> Response:
    """JSON: who asks, for what, and which credentials of the wallet can answer."""
    try:
        asked = oid4vp_wallet.ask(state.ctx, learner, _link_of(request))
    except MicrocredError as exc:
        return _problem(exc)
    return JSONResponse(oid4vp_wallet.describe(asked))


@router.post("/wallet/oid4vp/answer")
async def wallet_answer_json(request: Request, state: State, learner: LearnerId) -> Response:
    """JSON (``application/json`` only: a cross-site form cannot send it): answer a request."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _problem(OAuthError("invalid_request", "send application/json", http_status=415))
    try:
        body = WalletAnswerIn.model_validate_json(await request.body())
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "body"
        return _problem(OAuthError("invalid_request", f"{where}: {exc.errors()[0]['msg']}",
                                   http_status=422))  # fmt: skip
    try:
        sent = oid4vp_wallet.answer(state.ctx, learner, body.link, body.credential_id,
                                    body.claims)  # fmt: skip
    except MicrocredError as exc:
        return _problem(exc)
    out = WalletAnswerOut(status=400 if sent.refused else 200, redirect_uri=sent.redirect_uri,
                          error="invalid_request" if sent.refused else None,
                          error_description=sent.refused)  # fmt: skip
    return JSONResponse(out.model_dump())
